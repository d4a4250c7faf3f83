export { AnalyticsRecorder } from './analytics-recorder.js';
export { JitsuAnalyticsTestingModule } from './jitsu-analytics-testing.module.js';
export { MemoryTransport } from '../transports/memory.transport.js';
