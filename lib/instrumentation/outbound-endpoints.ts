import { describeValue } from '../options/describe-value.js';
import { type CallPattern, callMatches, parseCallPattern, patternProblem } from './call-patterns.js';

/**
 * `outboundHttp.endpoints`: the template a call is recorded under (`/repos/:owner/:repo`) when
 * one of the patterns matches it, so the `endpoint` column keeps one row per API operation rather
 * than one per id; undefined when none does. The first matching pattern wins.
 */
export type OutboundEndpoint = (host: string, port: string | undefined, path: string) => string | undefined;

const NONE: OutboundEndpoint = () => undefined;
const TEMPLATE_EXAMPLE = `'api.github.com/repos/:owner/:repo'`;

type TemplatePattern = CallPattern & { template: string };

/** The lookup, or the problems with the patterns (each naming its index). */
export function compileOutboundEndpoints(patterns: unknown, optionName: string): { template: OutboundEndpoint; problems: string[] } {
  if (patterns === undefined || patterns === null) return { template: NONE, problems: [] };
  if (!Array.isArray(patterns)) {
    return { template: NONE, problems: [`${optionName}: got ${describeValue(patterns, 'type')}, expected an array of path patterns, each with an optional host (${TEMPLATE_EXAMPLE}, '/v1/customers/:id')`] };
  }
  const problems: string[] = [];
  const rules: TemplatePattern[] = [];
  patterns.forEach((pattern: unknown, i) => {
    const parsed = parseCallPattern(pattern);
    if (typeof parsed === 'string') problems.push(patternProblem(`${optionName}[${i}]`, pattern, parsed));
    else if (parsed.template === undefined) problems.push(patternProblem(`${optionName}[${i}]`, pattern, `expected a path to record the calls as (e.g. ${TEMPLATE_EXAMPLE})`));
    else rules.push(parsed as TemplatePattern);
  });
  if (rules.length === 0) return { template: NONE, problems };
  return {
    problems,
    template: (host, port, path) => {
      const name = host.toLowerCase();
      return rules.find((rule) => callMatches(rule, name, port, path))?.template;
    },
  };
}
