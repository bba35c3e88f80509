import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { GatewayAdder } from './GatewayListEditor';
import type { GatewayOption } from './gateways';
import type { SplitItem } from './model';
import { VolumeSplitEditor } from './VolumeSplitEditor';

const option = (gateway: string): GatewayOption => ({ key: gateway, gateway, gatewayReferenceId: null, label: gateway, enabled: true });
const OPTIONS = ['SIM_ALPHA', 'SIM_BETA', 'SIM_GAMMA', 'SIM_DELTA'].map(option);
const item = (gateway: string, weight: number): SplitItem => ({ id: `id_${gateway}`, gateway, gatewayReferenceId: null, weight });

function editor(items: SplitItem[]) {
  const onChange = vi.fn();
  render(<VolumeSplitEditor label="Split" items={items} onChange={onChange} options={OPTIONS} errors={{}} path="definition.splits" />);
  return onChange;
}
const weightsOf = (onChange: ReturnType<typeof vi.fn>) => (onChange.mock.calls.at(-1)![0] as SplitItem[]).map((s) => [s.gateway, s.weight]);

describe('VolumeSplitEditor', () => {
  it('moving a slider rebalances the others so the total stays 100', () => {
    const onChange = editor([item('SIM_ALPHA', 50), item('SIM_BETA', 30), item('SIM_GAMMA', 20)]);
    fireEvent.change(screen.getByRole('slider', { name: 'Weight slider for SIM_ALPHA' }), { target: { value: '80' } });
    expect(weightsOf(onChange)).toEqual([
      ['SIM_ALPHA', 80],
      ['SIM_BETA', 12],
      ['SIM_GAMMA', 8],
    ]);
  });

  it('the number field sets one weight exactly', () => {
    const onChange = editor([item('SIM_ALPHA', 50), item('SIM_BETA', 50)]);
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Weight of SIM_BETA (%)' }), { target: { value: '30' } });
    expect(weightsOf(onChange)).toEqual([
      ['SIM_ALPHA', 50],
      ['SIM_BETA', 30],
    ]);
  });

  it('a new gateway takes an even share', () => {
    const onChange = editor([item('SIM_ALPHA', 100)]);
    const adder = screen.getByRole('combobox', { name: 'Add gateway to Split' });
    fireEvent.pointerDown(adder);
    fireEvent.change(adder, { target: { value: 'SIM_BETA' } });
    expect(weightsOf(onChange)).toEqual([
      ['SIM_ALPHA', 50],
      ['SIM_BETA', 50],
    ]);
  });
});

describe('GatewayAdder', () => {
  it('arrow keys only choose; Enter adds the one chosen, once', () => {
    const onAdd = vi.fn();
    render(<GatewayAdder label="Default gateways" options={OPTIONS} taken={[]} onAdd={onAdd} />);
    const adder = screen.getByRole('combobox', { name: 'Add gateway to Default gateways' });
    for (const value of ['SIM_ALPHA', 'SIM_BETA', 'SIM_GAMMA']) {
      fireEvent.keyDown(adder, { key: 'ArrowDown' });
      fireEvent.change(adder, { target: { value } });
    }
    expect(onAdd).not.toHaveBeenCalled();
    fireEvent.keyDown(adder, { key: 'Enter' });
    expect(onAdd).toHaveBeenCalledTimes(1);
    expect(onAdd.mock.calls[0]![0]).toMatchObject({ gateway: 'SIM_GAMMA' });
  });

  it('a pick with the pointer adds at once', () => {
    const onAdd = vi.fn();
    render(<GatewayAdder label="Default gateways" options={OPTIONS} taken={[]} onAdd={onAdd} />);
    const adder = screen.getByRole('combobox', { name: 'Add gateway to Default gateways' });
    fireEvent.pointerDown(adder);
    fireEvent.change(adder, { target: { value: 'SIM_DELTA' } });
    expect(onAdd).toHaveBeenCalledTimes(1);
    expect(onAdd.mock.calls[0]![0]).toMatchObject({ gateway: 'SIM_DELTA' });
  });
});
