import { version } from 'react';
import { version as domVersion } from 'react-dom';
import { expect, it } from 'vitest';

// The `react` project runs the hooks' tests on React 19, the `react18` project on React 18.
it('runs on the React major its vitest project is for', () => {
  const expected = process.env.EXPECTED_REACT_MAJOR ?? '19';
  expect(version.split('.')[0]).toBe(expected);
  expect(domVersion.split('.')[0]).toBe(expected);
});
