/**
 * @dbbackup/metrics/testing: helpers for tests that check metrics output (this package's, the exporter's, the
 * CLI's): promtool from Debian's prometheus package, and a reader of the text format that unescapes label values.
 */
export { findSamples, parseExposition, type Sample, sampleValue } from './parse-exposition.js';
export { PROMTOOL, type PromtoolResult, promtoolCheckMetrics, runPromtool } from './promtool.js';
