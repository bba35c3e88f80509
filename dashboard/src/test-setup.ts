import { afterEach } from 'vitest';
import { cleanup } from '@testing-library/react';
import { queryClient } from './api/query';

afterEach(() => {
  cleanup();
  // One cache per test: nothing loaded by one test is shown to the next.
  queryClient.clear();
  // Filters and pages live in the URL: each test starts from a clean address.
  window.history.replaceState(null, '', '/');
});
