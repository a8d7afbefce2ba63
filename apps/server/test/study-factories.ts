import crypto from 'node:crypto';
import { expect } from 'vitest';
import { enrollmentProgress, enrollments } from '../src/db/schema/index.js';
import { CERTIFICATE_ISSUE_JOB } from '../src/modules/certificates/certificates.service.js';
import { type ChapterSpec, planWithCourses } from './courses-factories.js';
import type { Client, TestEnv } from './harness.js';
import { learner } from './purchase-factories.js';

/** A learner enrolled in a fresh plan (the enrolment row is what a paid order creates). */
export async function enrolled(
  e: TestEnv,
  courses: Array<{ hours: number; chapters?: ChapterSpec[] }>,
  requiredHours?: number,
) {
  const { plan, courses: made } = await planWithCourses(e, { courses, requiredHours });
  const { c, p } = await learner(e);
  const me = (await c.get('/api/me')).json() as { id: string };
  const [enrollment] = await e.ctx.db
    .insert(enrollments)
    .values({ accountId: me.id, planId: plan.id, orderId: crypto.randomUUID() })
    .returning();
  return { c, p, plan, courses: made, accountId: me.id, enrollmentId: enrollment?.id as string };
}

/**
 * A completed enrolment as the study module leaves it when a plan's last chapter is credited: enrolment, progress with
 * completed_at, and the certificate.issue job enqueued in the same transaction. Its id.
 */
export async function completedEnrolment(e: TestEnv, accountId: string, planId: string): Promise<string> {
  const enrollmentId = crypto.randomUUID();
  await e.ctx.db.transaction(async (tx) => {
    await tx.insert(enrollments).values({ id: enrollmentId, accountId, planId, orderId: crypto.randomUUID() });
    await tx.insert(enrollmentProgress).values({
      enrollmentId,
      accountId,
      creditedHours: 30,
      completedAt: e.clock.now(),
      certificateQueued: true,
    });
    await e.ctx.jobs.enqueue(tx, CERTIFICATE_ISSUE_JOB, { enrollmentId });
  });
  return enrollmentId;
}

/** Starts studying a chapter over HTTP, as the player does when it opens. */
export async function start(c: Client, planId: string, chapterId: string) {
  const res = await c.post('/api/study/sessions', { planId, chapterId });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { sessionId: string; resumeAt: number; maxPosition: number; nextCheckInSeconds: number };
}
