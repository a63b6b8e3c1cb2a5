/** Cases per property: modest in `npm test`, at least 10,000 under `npm run fuzz` (FUZZ_RUNS). */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 300);
