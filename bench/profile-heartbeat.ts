/**
 * A CPU profile of the server answering POST heartbeats (the study bench's setup on PGlite, the load generator in
 * its own process for 6 s after a 2 s warm-up): `node --import tsx bench/profile-heartbeat.ts [out.cpuprofile]`.
 * Open the file in Chrome DevTools (Performance → Load profile) to see where a request's time goes; the figures
 * in bench/README.md ("Reading the own process rows") were read from such a profile.
 */
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadInChildProcess } from './load.js';
import { heartbeatTargets, platform } from './study.js';

const out = process.argv[2] ?? 'heartbeat.cpuprofile';
const p = await platform(undefined);
const targets = heartbeatTargets(p.learners);
const load = (seconds: number) =>
  loadInChildProcess({ url: p.base, targets, seconds, method: 'POST', connections: 50 });
await load(2);
const inspector = new Session();
inspector.connect();
await inspector.post('Profiler.enable');
await inspector.post('Profiler.start');
const measured = await load(6);
const { profile } = await inspector.post('Profiler.stop');
fs.writeFileSync(out, JSON.stringify(profile));
console.log(`${Math.round(measured.rps).toLocaleString('en')} heartbeats/s while profiled → ${out}`);
await p.close();
