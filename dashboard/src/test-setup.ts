import { afterEach } from 'vitest';
import { cleanup } from '@testing-library/react';

afterEach(() => {
  cleanup();
  // Filters and pages live in the URL: each test starts from a clean address.
  window.history.replaceState(null, '', '/');
});
