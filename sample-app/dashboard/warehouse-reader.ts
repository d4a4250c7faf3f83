import { existsSync } from 'node:fs';
import type { OnApplicationShutdown } from '@nestjs/common';
import Database from 'better-sqlite3';
import type { DashboardSummary } from './dashboard-summary.js';
import { readPanels } from './warehouse-panels.js';

const NO_PANELS = Object.freeze({
  tables: [],
  traffic: [],
  routes: [],
  latency: [],
  errors: { requests: 0, failed: 0, serverErrors: 0, rate: 0, bySource: [] },
  slowQueries: [],
  payments: [],
  recent: [],
});

/**
 * The dashboard's own read-only connection to the warehouse file: it never goes through TypeORM
 * (so its reads are not recorded as the app's queries) and cannot write. The file appears with
 * the first delivered batch; until then the summary is empty.
 */
export class WarehouseReader implements OnApplicationShutdown {
  private db?: Database.Database;

  constructor(readonly file: string) {}

  summary(destination: string): DashboardSummary {
    const db = this.open();
    const panels = db ? readPanels(db) : structuredClone(NO_PANELS);
    return { generatedAt: new Date().toISOString(), source: { warehouse: this.file, exists: db !== undefined, destination }, ...panels };
  }

  onApplicationShutdown(): void {
    this.db?.close();
    this.db = undefined;
  }

  private open(): Database.Database | undefined {
    if (this.db) return this.db;
    if (!existsSync(this.file)) return undefined;
    this.db = new Database(this.file, { readonly: true, fileMustExist: true });
    return this.db;
  }
}
