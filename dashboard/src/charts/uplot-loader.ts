// Loaded on demand by TimeSeriesChart, so uPlot and its stylesheet are a separate chunk that only
// pages with a chart fetch.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export default uPlot;
