// How long and how hard each section runs: the full benchmark, and the quick one CI runs (small
// samples, indicative numbers only).

/** @typedef {typeof PROFILES.full} Profile */

export const PROFILES = {
  full: {
    warmupMs: 1000,
    ceilingConcurrency: [1, 16, 64],
    ingestConcurrency: [1, 16, 64],
    ingestMs: 1500,
    ingestRounds: 2,
    fanOuts: [1, 10, 100],
    deliveries: 1000,
    latencyRate: 50,
    latencySeconds: 20,
    hangWaitMs: 20_000,
    workRate: 50,
    workSeconds: 8,
    workBatchedChanges: 300,
    waitForDelayed: true,
    scalingSizes: [10, 1000, 10_000],
    scalingIngestMs: 1500,
    scalingChanges: 100,
    orderEntities: 100,
    orderChangesPerEntity: 10,
  },
  quick: {
    warmupMs: 200,
    ceilingConcurrency: [16],
    ingestConcurrency: [1, 64],
    ingestMs: 300,
    ingestRounds: 1,
    fanOuts: [1, 10, 100],
    deliveries: 100,
    latencyRate: 50,
    latencySeconds: 2,
    hangWaitMs: 3000,
    workRate: 50,
    workSeconds: 1,
    workBatchedChanges: 100,
    waitForDelayed: false,
    scalingSizes: [10, 1000],
    scalingIngestMs: 300,
    scalingChanges: 30,
    orderEntities: 10,
    orderChangesPerEntity: 2,
  },
};
