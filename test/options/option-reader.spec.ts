import { AnalyticsConfigError } from '../../lib/analytics-config.error.js';
import { OptionReader } from '../../lib/options/option-reader.js';

describe('OptionReader', () => {
  describe('names', () => {
    it('prefixes each problem with the group; nested readers share the list', () => {
      const read = new OptionReader('api');
      const contexts = read.nested('contexts');
      read.problem('identify', 'user.id', 'a function');
      contexts.problem('rpc', 'record', `'track' or 'skip'`);
      expect(contexts.group).toBe('api.contexts');
      expect(read.problems).toEqual([
        'api.identify: got "user.id", expected a function',
        `api.contexts.rpc: got "record", expected 'track' or 'skip'`,
      ]);
      expect(contexts.problems).toBe(read.problems);
    });

    it('leaves top-level names alone and adds to a list the caller passes in', () => {
      const problems = ['jitsuUrl: required'];
      new OptionReader('', problems).problem('batchSize', 'ten', 'an integer');
      new OptionReader('system', problems).problem('', true, 'an object');
      expect(problems).toEqual(['jitsuUrl: required', 'batchSize: got "ten", expected an integer', 'system: got boolean true, expected an object']);
    });
  });

  describe('object', () => {
    it('treats undefined and null as an empty group', () => {
      const read = new OptionReader('system');
      expect(read.object(undefined)).toEqual({});
      expect(read.object(null)).toEqual({});
      expect(read.problems).toEqual([]);
    });

    it.each([
      ['yes', 'system: got "yes", expected an object'],
      [[], 'system: got an array, expected an object'],
      [() => ({}), 'system: got a function, expected an object'],
      [3, 'system: got number 3, expected an object'],
    ])('refuses %p', (value, message) => {
      const read = new OptionReader('system');
      expect(read.object(value)).toEqual({});
      expect(read.problems).toEqual([message]);
    });

    it('returns the object itself and names each unknown key, with the one a misspelling meant', () => {
      const read = new OptionReader('api');
      const given = { enabled: true, exlcude: [], extra: 1, ENABLED: false };
      expect(read.object(given, ['enabled', 'exclude'])).toBe(given);
      expect(read.problems).toEqual([
        'api.exlcude: unknown option; did you mean exclude?',
        'api.extra: unknown option; expected one of enabled, exclude',
        'api.ENABLED: unknown option; did you mean enabled?',
      ]);
    });

    it('lists the known keys as the caller words them, and accepts any key when none are given', () => {
      const read = new OptionReader('spool');
      read.object({ size: 5 }, ['dir', 'maxBytes'], 'dir or maxBytes');
      read.object({ anything: 1 });
      expect(read.problems).toEqual(['spool.size: unknown option; expected dir or maxBytes']);
    });
  });

  describe('bool', () => {
    it.each([
      [true, true], [false, false], ['true', true], [' YES ', true], ['on', true], ['1', true],
      ['false', false], ['No', false], ['off', false], ['0', false],
    ])('reads %p as %p', (value, expected) => {
      const read = new OptionReader();
      expect(read.bool('debug', value, !expected)).toBe(expected);
      expect(read.problems).toEqual([]);
    });

    it.each([undefined, null, ''])('returns the default for %p', (value) => {
      expect(new OptionReader().bool('debug', value, true)).toBe(true);
    });

    it('refuses anything else and returns the default', () => {
      const read = new OptionReader('errors');
      expect(read.bool('enabled', 2, true)).toBe(true);
      expect(read.bool('enabled', 'maybe', false)).toBe(false);
      expect(read.problems).toEqual([
        `errors.enabled: got number 2, expected a boolean (or 'true'/'false', '1'/'0')`,
        `errors.enabled: got "maybe", expected a boolean (or 'true'/'false', '1'/'0')`,
      ]);
    });
  });

  describe('int', () => {
    it('reads integers and numeric strings within bounds', () => {
      const read = new OptionReader();
      expect(read.int('batchSize', 25, 10, { min: 1 })).toBe(25);
      expect(read.int('batchSize', ' 100 ', 10, { min: 1 })).toBe(100);
      expect(read.int('batchSize', '7.0', 10, { min: 1 })).toBe(7);
      expect(read.int('retries', 0, 3, { min: 0, max: 5 })).toBe(0);
      expect(read.int('batchSize', '', 10, { min: 1 })).toBe(10);
      expect(read.int('batchSize', null, 10, { min: 1 })).toBe(10);
      expect(read.problems).toEqual([]);
    });

    it('refuses fractions, out-of-range and unsafe integers, exponents and other types', () => {
      const read = new OptionReader();
      for (const value of [1.5, 0, '1e3', 'ten', 2 ** 53, true]) expect(read.int('batchSize', value, 10, { min: 1 })).toBe(10);
      expect(read.int('retries', 6, 3, { min: 0, max: 5 })).toBe(3);
      expect(read.problems).toEqual([
        'batchSize: got number 1.5, expected an integer >= 1 (a number or a numeric string)',
        'batchSize: got number 0, expected an integer >= 1 (a number or a numeric string)',
        'batchSize: got "1e3", expected an integer >= 1 (a number or a numeric string)',
        'batchSize: got "ten", expected an integer >= 1 (a number or a numeric string)',
        'batchSize: got number 9007199254740992, expected an integer >= 1 (a number or a numeric string)',
        'batchSize: got boolean true, expected an integer >= 1 (a number or a numeric string)',
        'retries: got number 6, expected an integer between 0 and 5 (a number or a numeric string)',
      ]);
    });

    it('names the unit when given', () => {
      const read = new OptionReader('spool');
      read.int('maxBytes', 100, 1024, { min: 65_536, unit: 'bytes' });
      expect(read.problems).toEqual(['spool.maxBytes: got number 100, expected an integer number of bytes >= 65536 (a number or a numeric string)']);
    });
  });

  describe('number', () => {
    it('reads finite numbers and numeric strings within bounds', () => {
      const read = new OptionReader('database');
      expect(read.number('sampleRate', '0.25', 1, { min: 0, max: 1 })).toBe(0.25);
      expect(read.number('slowQueryMs', 0, 1000, { min: 0 })).toBe(0);
      expect(read.number('slowQueryMs', undefined, 1000, { min: 0 })).toBe(1000);
      expect(read.problems).toEqual([]);
    });

    it('refuses infinities, NaN, out-of-range values and words', () => {
      const read = new OptionReader('database');
      expect(read.number('slowQueryMs', Infinity, 1000, { min: 0 })).toBe(1000);
      expect(read.number('slowQueryMs', Number.NaN, 1000, { min: 0 })).toBe(1000);
      expect(read.number('sampleRate', 1.5, 1, { min: 0, max: 1 })).toBe(1);
      expect(read.number('slowQueryMs', 'soon', 1000, { min: 0 })).toBe(1000);
      expect(read.problems).toEqual([
        'database.slowQueryMs: got number Infinity, expected a number >= 0 (a number or a numeric string)',
        'database.slowQueryMs: got number NaN, expected a number >= 0 (a number or a numeric string)',
        'database.sampleRate: got number 1.5, expected a number between 0 and 1 (a number or a numeric string)',
        'database.slowQueryMs: got "soon", expected a number >= 0 (a number or a numeric string)',
      ]);
    });
  });

  describe('rate', () => {
    it('reads shares from 0 to 1, text included as JavaScript reads numbers', () => {
      const read = new OptionReader('api');
      expect(read.rate('sampleRate', '.5', 1, 'of requests')).toBe(0.5);
      expect(read.rate('sampleRate', '1e-2', 1, 'of requests')).toBe(0.01);
      expect(read.rate('sampleRate', 0, 1, 'of requests')).toBe(0);
      expect(read.rate('sampleRate', 1, 0.3, 'of requests')).toBe(1);
      expect(read.rate('sampleRate', '', 0.3, 'of requests')).toBe(0.3);
      expect(read.problems).toEqual([]);
    });

    it.each([1.5, -0.1, Number.NaN, 'half', ' ', true])('refuses %p and returns the default', (value) => {
      const read = new OptionReader('api');
      expect(read.rate('sampleRate', value, 1, 'the share of successful requests recorded')).toBe(1);
      expect(read.problems).toHaveLength(1);
      expect(read.problems[0]).toMatch(/^api\.sampleRate: got .+, expected a number from 0 to 1 \(the share of successful requests recorded\)$/);
    });
  });

  describe('oneOf, text and url', () => {
    it('oneOf returns an allowed value, the default when unset, and names the choices otherwise', () => {
      const read = new OptionReader();
      const allowed = ['next', 'classic'] as const;
      expect(read.oneOf('protocol', 'classic', allowed, 'next')).toBe('classic');
      expect(read.oneOf('protocol', '', allowed, 'next')).toBe('next');
      expect(read.oneOf('protocol', 'v2', allowed, 'next')).toBe('next');
      expect(read.problems).toEqual([`protocol: got "v2", expected one of 'next', 'classic'`]);
    });

    it('text returns strings, undefined when unset, and refuses other types', () => {
      const read = new OptionReader();
      expect(read.text('serviceName', 'orders')).toBe('orders');
      expect(read.text('serviceName', '')).toBeUndefined();
      expect(read.text('serviceName', 5)).toBeUndefined();
      expect(read.problems).toEqual(['serviceName: got number 5, expected a string']);
    });

    it('url keeps http(s) URLs without trailing slashes and refuses others, quoting those shaped like an address cut short', () => {
      const read = new OptionReader();
      expect(read.url('jitsuUrl', 'https://jitsu.example.com//')).toBe('https://jitsu.example.com');
      expect(read.url('jitsuUrl', undefined)).toBeUndefined();
      expect(read.url('jitsuUrl', 'localhost:8080')).toBeUndefined();
      expect(read.url('jitsuUrl', 'ftp://files.example.com')).toBeUndefined();
      expect(read.url('jitsuUrl', `ftp://files.example.com/${'x'.repeat(60)}`)).toBeUndefined();
      expect(read.url('jitsuUrl', 'key-id:secret-value')).toBeUndefined();
      expect(read.problems).toEqual([
        `jitsuUrl: got "localhost:8080", expected an http(s) URL such as 'http://localhost:8080'`,
        `jitsuUrl: got "ftp://files.example.com", expected an http(s) URL such as 'http://localhost:8080'`,
        `jitsuUrl: got "ftp://files.example.com/${'x'.repeat(16)}…", expected an http(s) URL such as 'http://localhost:8080'`,
        `jitsuUrl: got a value of 19 characters that is not a URL (not shown: it may be a key given to the wrong option), expected an http(s) URL such as 'http://localhost:8080'`,
      ]);
    });
  });

  describe('throwIfAny', () => {
    it('does nothing without problems', () => {
      expect(() => new OptionReader('system').throwIfAny()).not.toThrow();
    });

    it('throws one AnalyticsConfigError listing every problem, unaffected by later ones', () => {
      const read = new OptionReader('system');
      read.bool('enabled', 'sometimes', true);
      read.number('intervalMs', 5, 60_000, { min: 100 });
      let thrown: unknown;
      try {
        read.throwIfAny();
      } catch (error) {
        thrown = error;
      }
      read.problem('late', 1, 'nothing');
      expect(thrown).toBeInstanceOf(AnalyticsConfigError);
      expect((thrown as AnalyticsConfigError).problems).toEqual([
        `system.enabled: got "sometimes", expected a boolean (or 'true'/'false', '1'/'0')`,
        'system.intervalMs: got number 5, expected a number >= 100 (a number or a numeric string)',
      ]);
    });
  });
});
