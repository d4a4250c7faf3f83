import 'reflect-metadata';
import { Injectable, type INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { InjectDataSource, InjectRepository, TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { DataSource, type Repository } from 'typeorm';
import { AnalyticsConfigError } from '../../lib/analytics-config.error.js';
import { AnalyticsRecorder, JitsuAnalyticsTestingModule } from '../../lib/testing/index.js';
import { JitsuAnalyticsTypeOrmModule, type JitsuAnalyticsTypeOrmOptions } from '../../lib/typeorm/index.js';
import { Customer, ENTITIES, Invoice } from './entities.js';

@Injectable()
class CustomersService {
  constructor(
    @InjectRepository(Customer) private readonly customers: Repository<Customer>,
    @InjectDataSource('reports') private readonly reports: DataSource,
  ) {}

  async signUp(email: string): Promise<void> {
    await this.customers.insert({ email, name: 'n', age: 30 });
    await this.customers.findOneBy({ email });
  }

  async report(): Promise<void> {
    await this.reports.getRepository(Invoice).count();
  }
}

const sqlite = (name?: string) =>
  TypeOrmModule.forRoot({ ...(name ? { name } : {}), type: 'better-sqlite3', database: ':memory:', entities: ENTITIES, synchronize: true });

async function app(options?: JitsuAnalyticsTypeOrmOptions): Promise<INestApplicationContext> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      JitsuAnalyticsTestingModule.forRoot({ system: { enabled: false } }),
      sqlite(),
      sqlite('reports'),
      TypeOrmModule.forFeature([Customer]),
      JitsuAnalyticsTypeOrmModule.forRoot(options),
    ],
    providers: [CustomersService],
  }).compile();
  return moduleRef.init();
}

const queries = (recorder: AnalyticsRecorder) =>
  recorder.events().filter((e) => e.event === 'Database Query').map((e) => `${e.properties.query_type} ${e.properties.query_table}`);

describe('JitsuAnalyticsTypeOrmModule', () => {
  let context: INestApplicationContext | undefined;
  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  it("instruments the app's default DataSource and leaves a named one alone unless listed", async () => {
    context = await app();
    const recorder = context.get(AnalyticsRecorder);
    await recorder.flush();
    const connected = recorder.events().filter((e) => e.event === 'Database Connection');
    expect(connected.map((e) => [e.properties.connection_event, e.properties.data_source])).toEqual([['initialized', 'default']]);

    recorder.clear();
    await context.get(CustomersService).signUp('ada@example.com');
    await context.get(CustomersService).report();
    await recorder.flush();
    expect(queries(recorder)).toEqual(['INSERT customers', 'SELECT customers']);
    expect(context.get<DataSource>(getDataSourceToken('reports')).subscribers).toHaveLength(0);
  });

  it('instruments named DataSources listed in dataSources, with the module options applied', async () => {
    context = await app({ dataSources: ['default', 'reports'], ignore: [/^INSERT/] });
    const recorder = context.get(AnalyticsRecorder);
    recorder.clear();
    await context.get(CustomersService).signUp('ada@example.com');
    await context.get(CustomersService).report();
    await recorder.flush();
    expect(queries(recorder)).toEqual(['SELECT customers', 'SELECT invoices']);
  });

  it('takes DataSource instances as well as names', async () => {
    const standalone = new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: ENTITIES, synchronize: true });
    await standalone.initialize();
    context = await app({ dataSources: [standalone] });
    const recorder = context.get(AnalyticsRecorder);
    recorder.clear();
    await standalone.getRepository(Invoice).count();
    await context.get(CustomersService).signUp('ada@example.com');
    await recorder.flush();
    expect(queries(recorder)).toEqual(['SELECT invoices']);
    await context.close();
    context = undefined;
    // The app's shutdown removed the instrumentation from the DataSource it does not own.
    expect(standalone.subscribers).toHaveLength(0);
    await standalone.destroy();
  });

  it("names the app's default DataSource 'default' when it is listed as an instance", async () => {
    const options = { type: 'better-sqlite3', database: ':memory:', entities: ENTITIES, synchronize: true } as const;
    const instance = new DataSource(options);
    const moduleRef = await Test.createTestingModule({
      imports: [
        JitsuAnalyticsTestingModule.forRoot({ system: { enabled: false } }),
        TypeOrmModule.forRootAsync({ useFactory: () => options, dataSourceFactory: async () => instance.initialize() }),
        JitsuAnalyticsTypeOrmModule.forRoot({ dataSources: [instance] }),
      ],
    }).compile();
    context = await moduleRef.init();
    expect(context.get(DataSource)).toBe(instance);
    const recorder = context.get(AnalyticsRecorder);
    await instance.getRepository(Customer).count();
    await recorder.flush();
    expect(recorder.events().map((e) => [e.event, e.properties.data_source])).toEqual([
      ['Database Connection', 'default'],
      ['Database Query', 'default'],
    ]);
  });

  it('removes its subscriber when the app shuts down', async () => {
    context = await app();
    const dataSource = context.get(DataSource);
    expect(dataSource.subscribers).toHaveLength(1);
    await context.close();
    context = undefined;
    expect(dataSource.subscribers).toHaveLength(0);
  });

  it.each([
    [{ sampleRate: 2 }, 'JitsuAnalyticsTypeOrmModule.sampleRate: got number 2, expected a number between 0 and 1'],
    [{ slowQueryMs: 'soon' }, 'JitsuAnalyticsTypeOrmModule.slowQueryMs: got "soon", expected a number >= 0'],
    [{ ignore: [''] }, 'JitsuAnalyticsTypeOrmModule.ignore[0]'],
    [{ dataSources: 'default' }, 'JitsuAnalyticsTypeOrmModule.dataSources: got "default", expected an array'],
    [{ dataSources: ['default', 'nope'] }, `JitsuAnalyticsTypeOrmModule.dataSources[1]: no DataSource named "nope"`],
  ])('fails the bootstrap on bad options: %j', async (options, message) => {
    const failure = app(options as JitsuAnalyticsTypeOrmOptions);
    await expect(failure).rejects.toBeInstanceOf(AnalyticsConfigError);
    await expect(failure).rejects.toThrow(message);
  });
});
