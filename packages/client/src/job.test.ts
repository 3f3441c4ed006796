import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import { AppError, CancelledError, ConnectionLostError, GradioError, QueueFullError } from './errors.js';
import { Job, type JobDriver, type JobEvent } from './job.js';
import type { StreamMessage } from './sessionStream.js';

type Out = unknown[];

function makeJob(overrides: Partial<JobDriver<Out>> = {}) {
  const driver = {
    output: vi.fn((data: unknown[]) => data.slice()),
    cancel: vi.fn(async () => ({ success: true })),
    send: vi.fn(async () => true),
    diffs: true,
    onResult: vi.fn(),
    ...overrides,
  } satisfies JobDriver<Out>;
  const job = new Job<Out>('/stream_text', driver);
  return { job, driver };
}

const tick = () => new Promise<void>((r) => setTimeout(r, 0));

const EV = 'df215195c6094336b4c8d3e21f416274';
const generating = (data: unknown[]): StreamMessage => ({
  msg: 'process_generating',
  event_id: EV,
  output: { data, is_generating: true, duration: 0.05, average_duration: 0.03, render_config: null, changed_state_ids: [], used_cache: null },
  success: true,
  time_limit: null,
});
const completed = (data: unknown[]): StreamMessage => ({
  msg: 'process_completed',
  event_id: EV,
  output: { data, is_generating: false, duration: 0.0005, average_duration: 0.03, render_config: null, changed_state_ids: [], used_cache: null },
  success: true,
  title: null,
  used_cache: null,
});

/** The stream of /stream_text captured from gradio 6.31.0 (sse-stream_text.txt), trimmed to the fields the client reads. */
const streamText: StreamMessage[] = [
  { msg: 'estimation', event_id: EV, rank: 0, queue_size: 1, rank_eta: null },
  { msg: 'process_starts', event_id: EV, eta: null },
  generating(['Hello tok1']),
  generating([[['append', [], ' tok2']]]),
  generating([[['append', [], ' tok3']]]),
  generating([[['append', [], ' tok4']]]),
  generating([[['append', [], ' tok5']]]),
  completed(['Hello tok1 tok2 tok3 tok4 tok5']),
];

/** /shape_shift from gradio 6.31.0, as its frames were before `grid`: nested replace/add/delete/append diffs on a JSON output. */
const shapeShift: StreamMessage[] = [
  generating([{ step: 0, status: 'start', items: [0], nested: { a: 1 } }]),
  generating([[['replace', ['step'], 1], ['replace', ['status'], 'running'], ['add', ['items', 1], 1], ['add', ['items', 2], 2], ['add', ['nested', 'b'], { c: 'x' }]]]),
  generating([[['replace', ['step'], 2], ['delete', ['items', 2], null], ['delete', ['nested', 'a'], null], ['append', ['nested', 'b', 'c'], 'y'], ['add', ['extra'], true]]]),
  generating([[['replace', ['step'], 3], ['replace', ['status'], 3], ['replace', ['items', 0], 7], ['add', ['nested', 'b', 'd'], [0]]]]),
  generating([[['replace', ['step'], 4], ['replace', ['status'], 4], ['delete', ['items', 1], null], ['delete', ['nested', 'b', 'c'], null], ['delete', ['nested', 'b', 'd'], null], ['delete', ['extra'], null]]]),
  generating([[['replace', ['step'], 5], ['replace', ['status'], 'done'], ['add', ['items', 1], 'x'], ['delete', ['nested', 'b'], null], ['add', ['nested', 'a'], 'back'], ['add', ['result'], { ok: true }]]]),
  completed([{ step: 5, status: 'done', items: [7, 'x'], nested: { a: 'back' }, result: { ok: true } }]),
];

describe('Job', () => {
  describe('initial state', () => {
    it('starts pending with STARTING and no event', () => {
      const { job } = makeJob();
      const s = job.getSnapshot();
      expect(job.endpoint).toBe('/stream_text');
      expect(job.eventId).toBeNull();
      expect(s.stage).toBe('pending');
      expect(s.status.code).toBe('STARTING');
      expect(s.outputs).toEqual([]);
      expect(s.data).toBeUndefined();
      expect(s.logs).toEqual([]);
      expect(s.done).toBe(false);
      expect(job.done()).toBe(false);
    });

    it('code() sets a pre-join status without changing the stage', () => {
      const { job } = makeJob();
      job.code('JOINING_QUEUE');
      expect(job.status().code).toBe('JOINING_QUEUE');
      expect(job.getSnapshot().stage).toBe('pending');
    });

    it('joined() records the event id and moves to queued / IN_QUEUE', () => {
      const { job } = makeJob();
      job.joined(EV);
      expect(job.eventId).toBe(EV);
      expect(job.getSnapshot().eventId).toBe(EV);
      expect(job.getSnapshot().stage).toBe('queued');
      expect(job.status().code).toBe('IN_QUEUE');
    });

    it('joined() after early (buffered) messages does not regress the status', () => {
      const { job } = makeJob();
      job.message({ msg: 'estimation', event_id: EV, rank: 0, queue_size: 1, rank_eta: null });
      job.message({ msg: 'process_starts', event_id: EV, eta: 2 });
      job.joined(EV);
      expect(job.eventId).toBe(EV);
      expect(job.getSnapshot().stage).toBe('running');
      expect(job.status().code).toBe('PROCESSING');
      expect(job.status().eta).toBe(2);
    });
  });

  describe('status messages', () => {
    it('estimation → IN_QUEUE / queued with rank, queue size and eta', () => {
      const { job } = makeJob();
      job.message({ msg: 'estimation', event_id: EV, rank: 2, queue_size: 5, rank_eta: 7.5 });
      const s = job.getSnapshot();
      expect(s.stage).toBe('queued');
      expect(s.status).toMatchObject({ code: 'IN_QUEUE', rank: 2, queueSize: 5, eta: 7.5, success: null });
      expect(s.queue).toEqual({ position: 2, size: 5, eta: 7.5 });
      expect(typeof s.status.time).toBe('number');
    });

    it('a progress before process_starts means the job runs (queued → running)', () => {
      const { job } = makeJob();
      job.message({ msg: 'estimation', event_id: EV, rank: 0, queue_size: 1, rank_eta: 3 });
      job.message({ msg: 'progress', event_id: EV, progress_data: [{ index: 1, length: 4, unit: 'steps', progress: null, desc: null }] });
      expect(job.getSnapshot()).toMatchObject({ stage: 'running', status: { code: 'PROGRESS' } });
    });

    it('clears the queue position and ETA when the job ends, however it ends', async () => {
      const ends: ((job: Job<Out>) => unknown)[] = [
        (job) => job.message(completed(['x'])),
        (job) => job.message({ msg: 'process_completed', event_id: EV, success: false, output: { error: 'boom' }, title: null }),
        (job) => job.cancel(),
      ];
      for (const end of ends) {
        const { job } = makeJob();
        job.message({ msg: 'estimation', event_id: EV, rank: 3, queue_size: 5, rank_eta: 9 });
        await end(job);
        expect(job.getSnapshot().queue).toEqual({ position: null, size: null, eta: null });
        await job.result().catch(() => {});
      }
    });

    it('estimation with rank 0 and null eta (real capture)', () => {
      const { job } = makeJob();
      job.message(streamText[0]!);
      expect(job.getSnapshot().queue).toEqual({ position: 0, size: 1, eta: null });
      expect(job.status()).toMatchObject({ rank: 0, queueSize: 1, eta: null });
    });

    it('process_starts → PROCESSING / running, queue cleared', () => {
      const { job } = makeJob();
      job.message({ msg: 'estimation', event_id: EV, rank: 0, queue_size: 1, rank_eta: 3 });
      job.message({ msg: 'process_starts', event_id: EV, eta: 1.25 });
      const s = job.getSnapshot();
      expect(s.stage).toBe('running');
      expect(s.status.code).toBe('PROCESSING');
      expect(s.status.eta).toBe(1.25);
      expect(s.queue).toEqual({ position: null, size: null, eta: 1.25 });
    });

    it('progress → PROGRESS with the units; a running job stays running', () => {
      const { job } = makeJob();
      job.message({ msg: 'process_starts', event_id: EV, eta: null });
      const units = [{ index: 3, length: 10, unit: 'steps', progress: null, desc: 'Working' }];
      job.message({ msg: 'progress', event_id: EV, progress_data: units });
      const s = job.getSnapshot();
      expect(s.status.code).toBe('PROGRESS');
      expect(s.status.progress).toEqual(units);
      expect(s.progress).toEqual(units);
      expect(s.stage).toBe('running');
    });

    it('progress does not leave the streaming stage', () => {
      const { job } = makeJob();
      job.message(generating(['a']));
      job.message({ msg: 'progress', event_id: EV, progress_data: [{ index: null, length: null, unit: 'steps', progress: 0.5, desc: null }] });
      expect(job.getSnapshot().stage).toBe('streaming');
    });

    it('log → LOG, logs accumulate; stage unchanged; duration defaults to 10, null kept', () => {
      const { job } = makeJob();
      job.message({ msg: 'process_starts', event_id: EV, eta: null });
      job.message({ msg: 'log', event_id: EV, log: 'Starting', level: 'info', title: null });
      job.message({ msg: 'log', event_id: EV, log: 'Careful', level: 'warning', title: 'Heads up', duration: null, visible: true });
      job.message({ msg: 'log', event_id: EV, log: 'Quick', level: 'success', title: null, duration: 2 });
      const s = job.getSnapshot();
      expect(s.stage).toBe('running');
      expect(s.status.code).toBe('LOG');
      expect(s.status.log).toEqual({ message: 'Quick', level: 'success', title: null, duration: 2 });
      expect(s.logs).toEqual([
        { message: 'Starting', level: 'info', title: null, duration: 10 },
        { message: 'Careful', level: 'warning', title: 'Heads up', duration: null },
        { message: 'Quick', level: 'success', title: null, duration: 2 },
      ]);
    });

    it('queue_full fails the job with QueueFullError', async () => {
      const { job } = makeJob();
      job.message({ msg: 'queue_full', event_id: EV });
      await expect(job.result()).rejects.toBeInstanceOf(QueueFullError);
      expect(job.getSnapshot().stage).toBe('error');
    });

    it('ignores unknown messages (heartbeat)', () => {
      const { job } = makeJob();
      const before = job.getSnapshot();
      job.message({ msg: 'heartbeat', event_id: null });
      expect(job.getSnapshot()).toBe(before);
    });
  });

  describe('outputs', () => {
    it('process_generating → ITERATING / streaming, diffs applied across yields (stream_text capture)', async () => {
      const { job, driver } = makeJob();
      streamText.slice(0, 4).forEach((m) => job.message(m));
      let s = job.getSnapshot();
      expect(s.stage).toBe('streaming');
      expect(s.status.code).toBe('ITERATING');
      expect(s.data).toEqual(['Hello tok1 tok2']);
      expect(s.outputs).toEqual([['Hello tok1'], ['Hello tok1 tok2']]);
      streamText.slice(4).forEach((m) => job.message(m));
      s = job.getSnapshot();
      expect(s.stage).toBe('success');
      expect(s.status).toMatchObject({ code: 'FINISHED', success: true });
      expect(s.done).toBe(true);
      expect(s.data).toEqual(['Hello tok1 tok2 tok3 tok4 tok5']);
      // The final message repeats the last yield of a generator: not added again.
      expect(s.outputs).toEqual([
        ['Hello tok1'],
        ['Hello tok1 tok2'],
        ['Hello tok1 tok2 tok3'],
        ['Hello tok1 tok2 tok3 tok4'],
        ['Hello tok1 tok2 tok3 tok4 tok5'],
      ]);
      expect(job.outputs()).toEqual(s.outputs);
      await expect(job.result()).resolves.toEqual(['Hello tok1 tok2 tok3 tok4 tok5']);
      expect(driver.output).toHaveBeenCalledTimes(6);
    });

    it('applies nested replace/add/delete/append diffs (shape_shift capture); the last yield equals the final value', async () => {
      const { job } = makeJob();
      shapeShift.forEach((m) => job.message(m));
      const outs = job.outputs();
      expect(outs).toHaveLength(6);
      expect(outs[1]).toEqual([{ step: 1, status: 'running', items: [0, 1, 2], nested: { a: 1, b: { c: 'x' } } }]);
      expect(outs[2]).toEqual([{ step: 2, status: 'running', items: [0, 1], nested: { b: { c: 'xy' } }, extra: true }]);
      expect(outs[4]).toEqual([{ step: 4, status: 4, items: [7], nested: { b: {} } }]);
      expect(outs[5]).toEqual(await job.result());
      // Earlier outputs are never mutated by later diffs.
      expect(outs[0]).toEqual([{ step: 0, status: 'start', items: [0], nested: { a: 1 } }]);
    });

    it('diffs apply to the raw server data; the driver maps it to public outputs (State dropped)', () => {
      const output = vi.fn((data: unknown[]) => data.filter((_, i) => i !== 0));
      const { job } = makeJob({ output });
      job.message(generating([null, 'a']));
      job.message(generating([[], [['append', [], 'b']]]));
      expect(job.outputs()).toEqual([['a'], ['ab']]);
      expect(output).toHaveBeenLastCalledWith([null, 'ab'], true); // a yield: its unchanged parts may be kept
    });

    it("the final outputs are the last yield's objects when they are the same value", async () => {
      const { job } = makeJob();
      job.message(generating([{ a: [1] }]));
      job.message(completed([{ a: [1] }]));
      expect(await job.result()).toBe(job.outputs()[0]);
      expect(job.getSnapshot().data).toBe(job.outputs()[0]);
    });

    it('an output index never seen before starts from null', () => {
      const { job } = makeJob();
      job.message(generating(['a']));
      job.message(generating([[], [['replace', [], 'new']]]));
      expect(job.getSnapshot().data).toEqual(['a', 'new']);
    });

    it('takes generator data as full values when the protocol has no diffs (sse_v1)', () => {
      const { job } = makeJob({ diffs: false });
      job.message(generating(['Hel']));
      job.message(generating(['Hello']));
      expect(job.outputs()).toEqual([['Hel'], ['Hello']]);
    });

    it('process_streaming data is never a diff', () => {
      const { job } = makeJob();
      job.message({ ...generating([['a', 'b']]), msg: 'process_streaming' });
      job.message({ ...generating([['c']]), msg: 'process_streaming' });
      expect(job.outputs()).toEqual([[['a', 'b']], [['c']]]);
      expect(job.getSnapshot().stage).toBe('streaming');
    });

    it('a final value that differs from a diff-built last output corrects it, not adds to it', async () => {
      const { job } = makeJob();
      job.message(generating(['a']));
      job.message(generating([[['append', [], 'b']]]));
      job.message(completed(['abc'])); // the server's own full value wins
      expect(job.outputs()).toEqual([['a'], ['abc']]);
      await expect(job.result()).resolves.toEqual(['abc']);
    });

    it("gives each snapshot the outputs it had, when they are read later (they are copied when first read), a correction in the latest only", async () => {
      const { job } = makeJob();
      job.message(generating(['a']));
      const first = job.getSnapshot(); // not read yet
      job.message(generating([[['append', [], 'b']]]));
      const second = job.getSnapshot();
      const iterated: Out[] = [];
      const iterating = (async () => {
        for await (const out of job) iterated.push(out);
      })();
      job.message(generating([[['append', [], 'c']]]));
      const third = job.getSnapshot();
      job.message(completed(['abC'])); // corrects the last output
      await iterating;
      expect(first.outputs).toEqual([['a']]);
      expect(second.outputs).toEqual([['a'], ['ab']]);
      expect(third.outputs).toEqual([['a'], ['ab'], ['abc']]); // as it was when taken
      expect(third.outputs).toBe(third.outputs); // one copy, the same each time
      expect(job.getSnapshot().outputs).toEqual([['a'], ['ab'], ['abC']]);
      expect(job.outputs()).toEqual([['a'], ['ab'], ['abC']]);
      expect(iterated.length).toBe(3);
      expect(Object.isFrozen(third)).toBe(true);
      expect(Object.keys(third)).toContain('outputs'); // a plain field for spread and JSON
      expect(JSON.parse(JSON.stringify(third)).outputs).toEqual([['a'], ['ab'], ['abc']]);
    });

    it('a streamed-input call whose final value is new (Gradio < 6.31 runs once more on close) adds it and iterates it', async () => {
      const { job } = makeJob();
      const seen: Out[] = [];
      const iterating = (async () => {
        for await (const out of job) seen.push(out);
      })();
      job.message({ ...generating(['1600']), msg: 'process_streaming' });
      job.message({ ...generating(['2400']), msg: 'process_streaming' });
      job.message(completed(['3200']));
      await iterating;
      expect(job.outputs()).toEqual([['1600'], ['2400'], ['3200']]);
      expect(seen).toEqual(job.outputs());
    });

    it('a non-generator completes with a single output', async () => {
      const { job, driver } = makeJob();
      job.message({ msg: 'process_starts', event_id: EV, eta: null });
      job.message(completed([5]));
      expect(job.outputs()).toEqual([[5]]);
      expect(job.getSnapshot()).toMatchObject({ stage: 'success', data: [5], done: true, error: undefined });
      expect(job.getSnapshot().queue).toEqual({ position: null, size: null, eta: null });
      await expect(job.result()).resolves.toEqual([5]);
      expect(driver.onResult).toHaveBeenCalledTimes(1);
      expect(driver.onResult).toHaveBeenCalledWith([5]);
    });

    it('calls onResult with the final outputs of a generator', () => {
      const { job, driver } = makeJob();
      streamText.forEach((m) => job.message(m));
      expect(driver.onResult).toHaveBeenCalledTimes(1);
      expect(driver.onResult).toHaveBeenCalledWith(['Hello tok1 tok2 tok3 tok4 tok5']);
    });

    it('ignores messages after the job ended', () => {
      const { job } = makeJob();
      job.message(completed(['x']));
      const snap = job.getSnapshot();
      job.message(generating(['y']));
      job.message(completed(['z']));
      job.message({ msg: 'log', event_id: EV, log: 'late', level: 'info', title: null });
      expect(job.getSnapshot()).toBe(snap);
    });
  });

  describe('errors', () => {
    it('success:false → AppError with the message and title', async () => {
      const { job, driver } = makeJob();
      job.message({ msg: 'process_completed', event_id: EV, success: false, title: null, output: { error: 'Bad input: ham', title: 'Oops', visible: true, duration: 10 } });
      const error = await job.result().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect(error).toBeInstanceOf(GradioError);
      expect((error as AppError).message).toBe('Bad input: ham');
      expect((error as AppError).title).toBe('Oops');
      const s = job.getSnapshot();
      expect(s.stage).toBe('error');
      expect(s.error).toBe(error);
      expect(s.status).toMatchObject({ code: 'FINISHED', success: false });
      expect(driver.onResult).not.toHaveBeenCalled();
    });

    it("gives the AppError the app's duration and visibility, or Gradio's defaults (10 s, visible) when the server sends none", async () => {
      const errorOf = async (output: Record<string, unknown>) => {
        const { job } = makeJob();
        job.message({ msg: 'process_completed', event_id: EV, success: false, title: null, output: { error: 'x', ...output } });
        return (await job.result().catch((e: unknown) => e)) as AppError;
      };
      expect(await errorOf({ duration: null, visible: false })).toMatchObject({ duration: null, visible: false });
      expect(await errorOf({ duration: 2.5, visible: true })).toMatchObject({ duration: 2.5, visible: true });
      expect(await errorOf({})).toMatchObject({ duration: 10, visible: true, title: null }); // an exception's, on /run
    });

    it('success:false with a null error (no show_error) still gives a helpful AppError; title may come from the message', async () => {
      const { job } = makeJob();
      job.message({ msg: 'process_completed', event_id: EV, success: false, title: 'Top title', output: { error: null } });
      const error = (await job.result().catch((e: unknown) => e)) as AppError;
      expect(error).toBeInstanceOf(AppError);
      expect(error.message).toMatch(/show_error/);
      expect(error.title).toBe('Top title');
    });

    it("keeps nothing alive of the code that cancelled it (V8 keeps an error's stack functions until its stack is read)", async () => {
      setFlagsFromString('--expose_gc');
      const gc = runInNewContext('gc') as () => void;
      const { job } = makeJob();
      let held!: WeakRef<object>;
      (() => {
        const component = { state: new Array(10_000).fill('x') }; // what a React cleanup sees
        held = new WeakRef(component);
        const cleanup = () => void job.cancel({ reason: String(component.state.length) });
        cleanup();
      })();
      await new Promise((r) => setTimeout(r, 0));
      gc();
      expect(held.deref()).toBeUndefined();
      expect(job.getSnapshot().error).toBeInstanceOf(CancelledError); // the job keeps its error
    });

    it('fail() / lost() end the job with the given error, once', async () => {
      const { job } = makeJob();
      const lost = new ConnectionLostError('gone');
      job.lost(lost);
      job.fail(new AppError('later'));
      await expect(job.result()).rejects.toBe(lost);
      expect(job.getSnapshot().error).toBe(lost);
    });
  });

  describe('cancellation', () => {
    it('process_completed with output {} means cancelled by the server', async () => {
      const { job, driver } = makeJob();
      job.message(generating(['a']));
      job.message({ msg: 'process_completed', event_id: EV, success: true, title: null, output: {} });
      const s = job.getSnapshot();
      expect(s.stage).toBe('cancelled');
      expect(s.status.code).toBe('CANCELLED');
      expect(s.done).toBe(true);
      await expect(job.result()).rejects.toBeInstanceOf(CancelledError);
      expect(driver.onResult).not.toHaveBeenCalled();
    });

    it("cancel() resolves once the server's answer to the cancel has come (the job ends at once)", async () => {
      let answer!: () => void;
      const { job } = makeJob({ cancel: () => new Promise<void>((r) => (answer = r)) });
      job.joined(EV);
      let resolved = false;
      const cancelling = job.cancel().then((r) => ((resolved = true), r));
      expect(job.getSnapshot().stage).toBe('cancelled');
      await tick();
      expect(resolved).toBe(false);
      answer();
      await expect(cancelling).resolves.toBe(true);
      await job.result().catch(() => {});
    });

    it('cancel() returns true, then false; asks the driver once; result() rejects with CancelledError', async () => {
      const { job, driver } = makeJob();
      job.joined(EV);
      await expect(job.cancel()).resolves.toBe(true);
      await expect(job.cancel()).resolves.toBe(false);
      expect(driver.cancel).toHaveBeenCalledTimes(1);
      await expect(job.result()).rejects.toBeInstanceOf(CancelledError);
      expect(job.getSnapshot()).toMatchObject({ stage: 'cancelled', done: true });
      expect(job.status().code).toBe('CANCELLED');
    });

    it('tells the driver the stage the job had before it was cancelled', async () => {
      const { job, driver } = makeJob();
      job.message({ msg: 'process_starts', event_id: EV, eta: null });
      await job.cancel();
      expect(driver.cancel).toHaveBeenCalledWith('running', undefined);
    });

    it('passes spareOthers to the driver', async () => {
      const { job, driver } = makeJob();
      job.message({ msg: 'estimation', event_id: EV, rank: 0, queue_size: 1, rank_eta: null });
      await job.cancel({ spareOthers: true });
      expect(driver.cancel).toHaveBeenCalledWith('queued', true);
      expect(job.getSnapshot().stage).toBe('cancelled');
    });

    it('says the reason given in its CancelledError', async () => {
      const { job } = makeJob();
      await job.cancel({ reason: 'the user left' });
      expect(job.getSnapshot().error?.message).toBe('The call to /stream_text was cancelled: the user left.');
    });

    it('interrupt() cancels without asking the server', async () => {
      const { job, driver } = makeJob();
      const error = new CancelledError('cancelled with a sibling');
      job.interrupt(error);
      await expect(job.result()).rejects.toBe(error);
      expect(job.getSnapshot().stage).toBe('cancelled');
      expect(driver.cancel).not.toHaveBeenCalled();
      await expect(job.cancel()).resolves.toBe(false);
    });

    it('the job is cancelled synchronously, before the driver answers', () => {
      let answer!: () => void;
      const { job } = makeJob({ cancel: vi.fn(() => new Promise<void>((r) => (answer = r))) });
      void job.cancel();
      expect(job.done()).toBe(true);
      expect(job.getSnapshot().stage).toBe('cancelled');
      answer();
    });

    it('a failing driver.cancel() does not reject cancel()', async () => {
      const { job } = makeJob({ cancel: vi.fn(async () => Promise.reject(new Error('network'))) });
      await expect(job.cancel()).resolves.toBe(true);
    });

    it('cancel() after success returns false and keeps the result', async () => {
      const { job, driver } = makeJob();
      job.message(completed([1]));
      await expect(job.cancel()).resolves.toBe(false);
      expect(driver.cancel).not.toHaveBeenCalled();
      await expect(job.result()).resolves.toEqual([1]);
    });

    it('messages after cancel() are ignored', async () => {
      const { job } = makeJob();
      await job.cancel();
      job.message(completed([1]));
      expect(job.getSnapshot().stage).toBe('cancelled');
      expect(job.outputs()).toEqual([]);
    });
  });

  describe('snapshots and subscriptions', () => {
    it('getSnapshot() is the same object until something changes, then a new frozen one', () => {
      const { job } = makeJob();
      const a = job.getSnapshot();
      expect(job.getSnapshot()).toBe(a);
      expect(Object.isFrozen(a)).toBe(true);
      job.message({ msg: 'estimation', event_id: EV, rank: 1, queue_size: 2, rank_eta: null });
      const b = job.getSnapshot();
      expect(b).not.toBe(a);
      expect(Object.isFrozen(b)).toBe(true);
      expect(job.getSnapshot()).toBe(b);
      // The old snapshot is untouched.
      expect(a.stage).toBe('pending');
      expect(a.status.code).toBe('STARTING');
      expect(b.stage).toBe('queued');
    });

    it('notifies every listener when one throws (the error is reported, not thrown into the stream)', async () => {
      const { job } = makeJob();
      const reported: unknown[] = [];
      process.setUncaughtExceptionCaptureCallback((e) => reported.push(e));
      try {
        const after = vi.fn();
        job.subscribe(() => {
          throw new Error('a broken UI');
        });
        job.subscribe(after);
        job.message({ msg: 'estimation', event_id: EV, rank: 0, queue_size: 1, rank_eta: null });
        await tick();
        await tick();
        expect(after).toHaveBeenCalledTimes(1);
        expect(reported).toEqual([new Error('a broken UI')]);
      } finally {
        process.setUncaughtExceptionCaptureCallback(null);
      }
    });

    it('a snapshot\'s outputs do not grow with later outputs', () => {
      const { job } = makeJob();
      job.message(generating(['a']));
      const s = job.getSnapshot();
      job.message(generating([[['append', [], 'b']]]));
      expect(s.outputs).toEqual([['a']]);
      expect(job.getSnapshot().outputs).toEqual([['a'], ['ab']]);
    });

    it('outputs() returns a copy', () => {
      const { job } = makeJob();
      job.message(generating(['a']));
      (job.outputs() as unknown[]).push('junk');
      expect(job.outputs()).toEqual([['a']]);
    });

    it('batches several changes in one tick into one notification', async () => {
      const { job } = makeJob();
      const listener = vi.fn();
      job.subscribe(listener);
      streamText.slice(0, 5).forEach((m) => job.message(m));
      expect(listener).not.toHaveBeenCalled();
      await Promise.resolve();
      expect(listener).toHaveBeenCalledTimes(1);
      job.message(streamText[5]!);
      await tick();
      expect(listener).toHaveBeenCalledTimes(2);
    });

    it('unsubscribe stops notifications; no notification without a change', async () => {
      const { job } = makeJob();
      const listener = vi.fn();
      const off = job.subscribe(listener);
      await tick();
      expect(listener).not.toHaveBeenCalled();
      off();
      job.message(completed([1]));
      await tick();
      expect(listener).not.toHaveBeenCalled();
    });

    it('calls a listener subscribed during a notification from the next one, and not one unsubscribed meanwhile', async () => {
      const { job } = makeJob();
      const calls: string[] = [];
      const again = () => {
        calls.push('again');
        off(); // subscribes itself anew, as a UI that re-renders may
        off = job.subscribe(again);
      };
      let off = job.subscribe(again);
      const removed = vi.fn();
      job.subscribe(() => {
        calls.push('first');
        offRemoved();
      });
      const offRemoved = job.subscribe(removed);
      job.message({ msg: 'estimation', event_id: EV, rank: 1, queue_size: 2, rank_eta: null });
      await tick();
      expect(calls).toEqual(['again', 'first']);
      expect(removed).not.toHaveBeenCalled();
      job.message({ msg: 'estimation', event_id: EV, rank: 0, queue_size: 1, rank_eta: null });
      await tick();
      expect(calls).toEqual(['again', 'first', 'first', 'again']);
    });

    it('notifies every subscriber', async () => {
      const { job } = makeJob();
      const a = vi.fn();
      const b = vi.fn();
      job.subscribe(a);
      job.subscribe(b);
      job.message(completed([1]));
      await tick();
      expect(a).toHaveBeenCalledTimes(1);
      expect(b).toHaveBeenCalledTimes(1);
    });
  });

  describe('iteration', () => {
    it('for await yields every output of a generator (not the repeated final) and ends on success', async () => {
      const { job } = makeJob();
      const seen: unknown[] = [];
      const done = (async () => {
        for await (const out of job) seen.push(out);
      })();
      for (const m of streamText) {
        job.message(m);
        await tick();
      }
      await done;
      expect(seen).toEqual([['Hello tok1'], ['Hello tok1 tok2'], ['Hello tok1 tok2 tok3'], ['Hello tok1 tok2 tok3 tok4'], ['Hello tok1 tok2 tok3 tok4 tok5']]);
    });

    it('for await started after the end still yields everything from the first output', async () => {
      const { job } = makeJob();
      streamText.forEach((m) => job.message(m));
      const seen: unknown[] = [];
      for await (const out of job) seen.push(out);
      expect(seen).toHaveLength(5);
    });

    it('leaving a for await loop early does not cancel the job', async () => {
      const { job, driver } = makeJob();
      const first = (async () => {
        for await (const out of job) return out;
      })();
      for (const m of streamText) {
        job.message(m);
        await tick();
      }
      expect(await first).toEqual(['Hello tok1']);
      expect(driver.cancel).not.toHaveBeenCalled();
      expect(await job.result()).toEqual(['Hello tok1 tok2 tok3 tok4 tok5']);
      expect(job.getSnapshot().stage).toBe('success');
    });

    it('for await yields the single final output of a non-generator', async () => {
      const { job } = makeJob();
      job.message(completed([42]));
      const seen: unknown[] = [];
      for await (const out of job) seen.push(out);
      expect(seen).toEqual([[42]]);
    });

    it('for await ends without throwing on cancel', async () => {
      const { job } = makeJob();
      const seen: unknown[] = [];
      const done = (async () => {
        for await (const out of job) seen.push(out);
        return 'ended';
      })();
      job.message(generating(['a']));
      await tick();
      await job.cancel();
      await expect(done).resolves.toBe('ended');
      expect(seen).toEqual([['a']]);
    });

    it('for await throws the job error', async () => {
      const { job } = makeJob();
      const done = (async () => {
        for await (const _ of job) void _;
      })();
      job.message(generating(['a']));
      job.message({ msg: 'process_completed', event_id: EV, success: false, title: null, output: { error: 'boom' } });
      await expect(done).rejects.toBeInstanceOf(AppError);
    });

    it('events() gives every status and output in order', async () => {
      const { job } = makeJob();
      const events: JobEvent<Out>[] = [];
      const done = (async () => {
        for await (const e of job.events()) events.push(e);
      })();
      job.joined(EV);
      job.message(streamText[0]!);
      job.message(streamText[1]!);
      await tick();
      job.message({ msg: 'log', event_id: EV, log: 'hi', level: 'info', title: null });
      job.message(streamText[2]!);
      job.message(streamText[3]!);
      await tick();
      job.message(completed(['Hello tok1 tok2']));
      await done;
      const summary = events.map((e) => (e.type === 'status' ? e.status.code : `data:${JSON.stringify(e.data)}${e.final ? ':final' : ''}`));
      expect(summary).toEqual([
        'STARTING', // the initial status
        'IN_QUEUE', // joined
        'IN_QUEUE', // estimation
        'PROCESSING',
        'LOG',
        'data:["Hello tok1"]',
        'ITERATING',
        'data:["Hello tok1 tok2"]',
        'ITERATING',
        'data:["Hello tok1 tok2"]:final',
        'FINISHED',
      ]);
    });

    it('events() after the end replays the history and returns', async () => {
      const { job } = makeJob();
      job.message(completed([1]));
      const events: JobEvent<Out>[] = [];
      for await (const e of job.events()) events.push(e);
      expect(events.map((e) => (e.type === 'status' ? e.status.code : e.type))).toEqual(['STARTING', 'data', 'FINISHED']);
    });
  });
});
