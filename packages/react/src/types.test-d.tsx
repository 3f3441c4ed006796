import { describe, expectTypeOf, it } from 'vitest';
import { useQuery, useSuspenseQueries, useSuspenseQuery } from '@tanstack/react-query';
import {
  GradioProvider, predictQueryOptions, useGradioClient, useJob, usePredict, useSuspenseGradioClient,
  type Client, type GradioError, type Job, type JobState, type PredictStatus, type QueueInfo,
} from './index.js';

declare const client: Client;
declare const job: Job<[number]>;

describe('types', () => {
  it('usePredict carries the output tuple', () => {
    const r = usePredict<[number]>('/calculate', { onData: (d) => expectTypeOf(d).toEqualTypeOf<[number]>() });
    expectTypeOf(r.data).toEqualTypeOf<[number] | undefined>();
    expectTypeOf(r.outputs).toEqualTypeOf<readonly [number][]>();
    expectTypeOf(r.submit).returns.toEqualTypeOf<Job<[number]>>();
    expectTypeOf(r.predict).returns.resolves.toEqualTypeOf<[number]>();
    expectTypeOf(r.job).toEqualTypeOf<Job<[number]> | null>();
    expectTypeOf(r.status).toEqualTypeOf<PredictStatus>();
    expectTypeOf(r.error).toEqualTypeOf<GradioError | null>();
    expectTypeOf(r.queue).toEqualTypeOf<QueueInfo>();
    expectTypeOf(usePredict('/x').data).toEqualTypeOf<unknown[] | undefined>();
    // @ts-expect-error concurrency is 'replace' | 'parallel'
    usePredict('/x', { concurrency: 'queue' });
  });

  it("GradioProvider's options are the hooks' connection options (gcTime, retry, api too)", () => {
    expectTypeOf(<GradioProvider src="x" options={{ token: 't', gcTime: 60_000, retry: 2, api: true }} />).not.toBeAny();
    // @ts-expect-error gcTime is a number of milliseconds
    expectTypeOf(<GradioProvider src="x" options={{ gcTime: '1m' }} />).not.toBeAny();
  });

  it('useJob infers from the job and the selector', () => {
    expectTypeOf(useJob(job)).toEqualTypeOf<JobState<[number]>>();
    expectTypeOf(useJob(job).data).toEqualTypeOf<[number] | undefined>();
    expectTypeOf(useJob(job, { select: (s) => s.data?.[0] })).toEqualTypeOf<number | undefined>();
    expectTypeOf(useJob(usePredict<[string, number]>('/e').job, { throttleMs: 10 }).data).toEqualTypeOf<[string, number] | undefined>();
    expectTypeOf(useJob(null).status).toEqualTypeOf<PredictStatus>();
  });

  it('predictQueryOptions types native useQuery', () => {
    const { data } = useQuery(predictQueryOptions<[number]>(client, '/calculate', { a: 1 }));
    expectTypeOf(data).toEqualTypeOf<[number] | undefined>();
    // the client of useGradioClient(), undefined while it connects, is taken as it is
    const pending = useQuery(predictQueryOptions<[string]>(useGradioClient().client, '/echo', ['x']));
    expectTypeOf(pending.data).toEqualTypeOf<[string] | undefined>();
    // the client's errors are typed: no cast to read an AppError's title
    expectTypeOf(pending.error).toEqualTypeOf<GradioError | null>();
  });

  it("predictQueryOptions of a connected client types useSuspenseQuery (no skipToken); one that may be undefined does not", () => {
    const { client: connected } = useSuspenseGradioClient();
    expectTypeOf(useSuspenseQuery(predictQueryOptions<[number]>(connected, '/calculate', { a: 1 })).data).toEqualTypeOf<[number]>();
    const [first] = useSuspenseQueries({ queries: [predictQueryOptions<[string]>(connected, '/echo', ['x'])] });
    expectTypeOf(first.data).toEqualTypeOf<[string]>();
    // @ts-expect-error the client of useGradioClient() may be undefined: its options may skip
    useSuspenseQuery(predictQueryOptions<[number]>(useGradioClient().client, '/calculate'));
  });

  it('client hooks', () => {
    expectTypeOf(useGradioClient().client).toEqualTypeOf<Client | undefined>();
    expectTypeOf(useGradioClient().status).toEqualTypeOf<'connecting' | 'ready' | 'error'>();
    expectTypeOf(useSuspenseGradioClient().client).toEqualTypeOf<Client>();
  });

  it("the API info's parameter schemas read without casts (a gr.Radio's choices)", () => {
    const param = useGradioClient(undefined, { api: true }).api?.named_endpoints['/calculate']?.parameters[2];
    expectTypeOf(param?.type?.enum).toEqualTypeOf<readonly unknown[] | undefined>();
    expectTypeOf(param?.type?.properties?.path?.type).toEqualTypeOf<string | readonly string[] | undefined>();
  });
});
