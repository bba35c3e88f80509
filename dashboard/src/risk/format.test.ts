import { describe, expect, it } from 'vitest';
import { listValueText } from './format';

describe('listValueText', () => {
  it('shows IP keys as addresses and networks', () => {
    expect(listValueText('ip', '4:c6336407')).toBe('198.51.100.7');
    expect(listValueText('ip', '4:cb007100/24')).toBe('203.0.113.0/24');
    expect(listValueText('ip', '6:20010db8000000000000000000000001')).toBe('2001:db8::1');
    expect(listValueText('ip', '6:20010db8000000000000000000000000/32')).toBe('2001:db8::/32');
    expect(listValueText('ip', '6:00000000000000000000000000000001')).toBe('::1');
  });
  it('leaves other kinds and unknown forms alone', () => {
    expect(listValueText('email', '4:c6336407')).toBe('4:c6336407');
    expect(listValueText('ip', '10.0.0.1')).toBe('10.0.0.1');
  });
});
