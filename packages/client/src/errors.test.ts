import { describe, expect, it } from 'vitest';
import {
  AppError,
  ArgumentError,
  AuthenticationError,
  CancelledError,
  ConnectionError,
  ConnectionLostError,
  EndpointNotFoundError,
  GradioError,
  QueueFullError,
  TimeoutError,
  TooManyRequestsError,
  ValidationError,
} from './errors.js';

describe('GradioError and its subclasses', () => {
  it("give their own name on their stack's first line, as Node prints an uncaught one (not GradioError's)", async () => {
    const errors = [
      new GradioError('x'),
      new AppError('x'),
      new QueueFullError('x'),
      new ValidationError('x'),
      new AuthenticationError('x'),
      new TooManyRequestsError('x'),
      new EndpointNotFoundError('x', []),
      new ArgumentError('x'),
      new ConnectionError('x'),
      new ConnectionLostError('x'),
      new TimeoutError('x'),
      new CancelledError('x'),
    ];
    await Promise.resolve(); // the stack is written out a moment after the error is made
    for (const e of errors) {
      expect(e).toBeInstanceOf(GradioError);
      expect(e.stack?.split('\n')[0]).toBe(`${e.name}: x`);
    }
    expect(new Set(errors.map((e) => e.name)).size).toBe(errors.length);
  });
});
