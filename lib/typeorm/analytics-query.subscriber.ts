import type { EntitySubscriberInterface } from 'typeorm';
import type { QueryRecorder } from '../instrumentation/query-recorder.js';

/**
 * The parts of TypeORM's `BeforeQueryEvent`/`AfterQueryEvent` this subscriber reads; both exist
 * with these meanings in TypeORM 0.3.18+ and 1.x (`executionTime` in ms, set on success only).
 */
export interface QueryEventLike {
  query: string;
  queryRunner?: object;
}

export interface AfterQueryEventLike extends QueryEventLike {
  success: boolean;
  executionTime?: number;
  error?: unknown;
}

/** Notes kept per runner: pairs always complete in the drivers, this only bounds a driver that breaks that. */
const MAX_PENDING_PER_RUNNER = 64;

interface Started {
  readonly sql: string;
  readonly at: number;
}

/**
 * Times every statement a DataSource runs and hands it to the recorder. Successful statements use
 * TypeORM's own `executionTime`; a failed one has none, so `beforeQuery` notes the start of each
 * statement per query runner (a runner runs its statements in order, so the oldest note with the
 * same SQL is the one that finished). It never runs a query and never throws into TypeORM.
 */
export class AnalyticsQuerySubscriber implements EntitySubscriberInterface {
  private readonly started = new WeakMap<object, Started[]>();
  /** Failures already recorded: TypeORM 1.x reports one to its logger, then to subscribers. */
  private readonly failures = new WeakSet<object>();

  constructor(private readonly recorder: QueryRecorder) {}

  beforeQuery(event: QueryEventLike): void {
    const runner = event.queryRunner;
    if (!runner) return;
    const list = this.started.get(runner);
    const note = { sql: event.query, at: performance.now() };
    if (list) {
      if (list.length >= MAX_PENDING_PER_RUNNER) list.shift();
      list.push(note);
    } else this.started.set(runner, [note]);
  }

  afterQuery(event: AfterQueryEventLike): void {
    if (event.success !== true && this.seen(event.error)) return;
    this.record(event);
  }

  /**
   * A failed statement heard of outside the subscriber interface: from TypeORM's logger
   * (`logQueryError`) or better-sqlite3's `prepare`, since TypeORM 0.3's better-sqlite3 driver
   * tells subscribers of no failure. 1.x and the other drivers then tell subscribers of the same
   * error, which `afterQuery` skips.
   */
  queryFailed(error: unknown, query: string, queryRunner: object | undefined): void {
    if (this.seen(error)) return;
    this.record({ query, queryRunner, success: false, error });
  }

  /**
   * A statement `QueryRunner.stream()` ran, which subscribers hear nothing of, timed until its
   * stream was over. An error the driver also logged (SQL Server, Oracle) is recorded once.
   */
  queryStreamed(query: string, durationMs: number, error: unknown): void {
    const success = error === undefined;
    if (!success && this.seen(error)) return;
    this.recorder.record({ sql: query, durationMs, success, error });
  }

  private record(event: AfterQueryEventLike): void {
    const startedAt = this.takeStart(event);
    const measured = startedAt === undefined ? 0 : performance.now() - startedAt;
    const durationMs = typeof event.executionTime === 'number' && event.success ? event.executionTime : measured;
    this.recorder.record({ sql: typeof event.query === 'string' ? event.query : '', durationMs, success: event.success === true, error: event.error });
  }

  /** True when this error was recorded already; marks it otherwise. */
  private seen(error: unknown): boolean {
    if (typeof error !== 'object' || error === null) return false;
    if (this.failures.has(error)) return true;
    this.failures.add(error);
    return false;
  }

  private takeStart(event: QueryEventLike): number | undefined {
    const list = event.queryRunner ? this.started.get(event.queryRunner) : undefined;
    if (!list) return undefined;
    const index = list.findIndex((note) => note.sql === event.query);
    if (index === -1) return undefined;
    const [note] = list.splice(index, 1);
    return note.at;
  }
}
