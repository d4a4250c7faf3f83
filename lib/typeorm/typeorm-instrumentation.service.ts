import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { DataSource } from 'typeorm';
import type { AnalyticsCore } from '../analytics-core.js';
import { AnalyticsConfigError } from '../analytics-config.error.js';
import { type DatabaseOptions, resolveDatabaseOptions } from '../instrumentation/database-options.js';
import { ANALYTICS_CORE } from '../jitsu-analytics.constants.js';
import { OptionReader } from '../options/option-reader.js';
import { instrumentDataSource } from './instrument-data-source.js';
import { JITSU_ANALYTICS_TYPEORM_OPTIONS, type JitsuAnalyticsTypeOrmOptions } from './typeorm-analytics.options.js';

const GROUP = 'JitsuAnalyticsTypeOrmModule';
const DEFAULT_NAME = 'default';

/**
 * Finds the listed DataSources through Nest's container (`getDataSourceToken(name)`, the tokens
 * `@nestjs/typeorm` registers them under) and instruments each one for this app's analytics
 * instance. Runs at module init, when `@nestjs/typeorm` has initialised them; the analytics
 * core's shutdown removes the instrumentation.
 */
@Injectable()
export class TypeOrmInstrumentationService implements OnModuleInit {
  private readonly entries: ReadonlyArray<string | DataSource>;
  private readonly database: DatabaseOptions;

  /** Validates the options here, so a bad one fails the bootstrap before any DataSource is touched. */
  constructor(
    @Inject(ANALYTICS_CORE) private readonly core: AnalyticsCore,
    private readonly moduleRef: ModuleRef,
    @Inject(JITSU_ANALYTICS_TYPEORM_OPTIONS) options: JitsuAnalyticsTypeOrmOptions,
  ) {
    const { dataSources, ...database } = options ?? {};
    this.entries = checkedEntries(dataSources);
    resolveDatabaseOptions(core.options.raw.database, database, GROUP);
    this.database = database;
  }

  async onModuleInit(): Promise<void> {
    const database = this.database;
    const tokenOf = await dataSourceTokens();
    const find = (name: string) => this.find(tokenOf(name));
    const defaultSource = find(DEFAULT_NAME);
    this.entries.forEach((entry, i) => {
      const dataSource = typeof entry === 'string' ? find(entry) : entry;
      if (!dataSource) {
        throw new AnalyticsConfigError([
          `${GROUP}.dataSources[${i}]: no DataSource named ${JSON.stringify(entry)} in this app (expected a name given to TypeOrmModule.forRoot({ name }), or 'default')`,
        ]);
      }
      const name = typeof entry === 'string' ? entry : dataSource === defaultSource ? DEFAULT_NAME : `dataSources[${i}]`;
      instrumentDataSource(dataSource, this.core, { ...database, name });
    });
  }

  private find(token: unknown): DataSource | undefined {
    try {
      return this.moduleRef.get<DataSource>(token as string, { strict: false });
    } catch {
      // ModuleRef.get throws for an unknown token; the caller names the missing DataSource.
      return undefined;
    }
  }
}

/**
 * `getDataSourceToken` of `@nestjs/typeorm`, loaded only when this module is used: the subpath's
 * `instrumentDataSource` must work in apps without Nest's TypeORM package.
 */
async function dataSourceTokens(): Promise<(name: string) => unknown> {
  try {
    const { getDataSourceToken } = await import('@nestjs/typeorm');
    return (name) => getDataSourceToken(name);
  } catch {
    throw new AnalyticsConfigError([`${GROUP}: needs the @nestjs/typeorm package (the module finds DataSources through its tokens); install it, or call instrumentDataSource(dataSource, analytics) instead`]);
  }
}

function checkedEntries(dataSources: unknown): ReadonlyArray<string | DataSource> {
  if (dataSources === undefined || dataSources === null) return [DEFAULT_NAME];
  const read = new OptionReader(GROUP);
  if (!Array.isArray(dataSources)) {
    read.problem('dataSources', dataSources, 'an array of DataSource names or instances');
  } else {
    dataSources.forEach((entry: unknown, i) => {
      if (!(typeof entry === 'string' && entry !== '') && !isDataSource(entry)) {
        read.problem(`dataSources[${i}]`, entry, 'a DataSource name or a DataSource instance');
      }
    });
  }
  read.throwIfAny();
  return dataSources as ReadonlyArray<string | DataSource>;
}

/** Duck-typed: an app and this library may resolve different copies of `typeorm`. */
function isDataSource(value: unknown): value is DataSource {
  const v = value as Partial<DataSource> | null;
  return typeof v === 'object' && v !== null && Array.isArray(v.subscribers) && typeof v.initialize === 'function';
}
