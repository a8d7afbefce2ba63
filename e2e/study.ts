import type { Page } from 'playwright-core';
import { publicUrl } from './browser.js';
import type { Api } from './session.js';

/** 在线学习中心 → 公需科目 → the year's plan (seeded, on sale all year). */
export async function openThisYearsPlan(page: Page) {
  await page.goto(`${publicUrl()}/gxkm`);
  await page
    .getByRole('link', { name: /专技人员继续教育公需科目培训/ })
    .first()
    .click();
  await page.getByText('选择购买方式').waitFor();
}

/** Buys this year's plan for oneself on the demo gateway (支付宝, 以后申请) and lands on 支付成功. */
export async function buyThisYearsPlan(page: Page) {
  await openThisYearsPlan(page);
  await page.getByRole('button', { name: '个人购买' }).click();
  await page.getByText('以后申请').click();
  await page.getByRole('button', { name: '提交订单' }).click();
  await page.waitForURL(/\/orders\/[0-9a-f-]+$/);
  await page.getByText('支付宝', { exact: true }).click();
  await page.getByRole('button', { name: '立即支付' }).click();
  await page.waitForURL(/\/pay-gateway\/cashier\//);
  await page.getByRole('button', { name: '确认支付' }).click();
  await page.waitForURL(/\/result/);
  await page.getByText('支付成功').waitFor({ timeout: 40_000 });
}

interface Check {
  id: string;
  prompt: string;
  options: string[];
}

/**
 * Answers 防挂机 questions as a learner who watched would: arithmetic is worked out, a pool question is looked up in
 * the catalogue the training centre maintains (read through the console API, the only place answers exist).
 */
export async function answerBook(staff: Api): Promise<(c: Check) => number> {
  const byPrompt = new Map<string, string>();
  const list = await staff.ok<{ items: Array<{ id: string }> }>('GET', '/api/admin/courses?pageSize=100');
  for (const { id } of list.items) {
    const course = await staff.ok<{
      chapters: Array<{ questions: Array<{ prompt: string; options: string[]; answer: number }> }>;
    }>('GET', `/api/admin/courses/${id}`);
    for (const ch of course.chapters)
      for (const q of ch.questions) byPrompt.set(q.prompt, q.options[q.answer] as string);
  }
  return (c) => {
    const sum = /^(\d+)\s*\+\s*(\d+)\s*=\s*\?$/.exec(c.prompt);
    const right = sum ? String(Number(sum[1]) + Number(sum[2])) : byPrompt.get(c.prompt);
    const i = c.options.indexOf(right as string);
    if (i < 0) throw new Error(`no answer known for 防挂机 question “${c.prompt}”`);
    return i;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Studies every chapter not yet complete through the study API, in real time (the server credits no more than the
 * wall clock): one session per chapter, a heartbeat every second at the credited frontier, questions answered.
 */
export async function studyRestByApi(learner: Api, planId: string, answer: (c: Check) => number) {
  const courses = await learner.ok<{ items: Array<{ id: string; complete: boolean }> }>(
    'GET',
    `/api/study/plans/${planId}/courses?pageSize=50`,
  );
  for (const course of courses.items.filter((c) => !c.complete)) {
    const detail = await learner.ok<{ chapters: Array<{ id: string; complete: boolean }> }>(
      'GET',
      `/api/study/plans/${planId}/courses/${course.id}`,
    );
    for (const ch of detail.chapters.filter((c) => !c.complete)) {
      const s = await learner.ok<{ sessionId: string; maxPosition: number; durationSeconds: number }>(
        'POST',
        '/api/study/sessions',
        { planId, chapterId: ch.id },
      );
      let position = s.maxPosition;
      for (let beat = 0; beat < s.durationSeconds * 4 + 20; beat++) {
        await sleep(1000);
        position = Math.min(s.durationSeconds, position + 1);
        const r = await learner.ok<{ chapterComplete: boolean; maxPosition: number; check: Check | null }>(
          'POST',
          `/api/study/sessions/${s.sessionId}/heartbeat`,
          { position, playing: true, rate: 1 },
        );
        if (r.check) await learner.ok('POST', `/api/study/checks/${r.check.id}/answer`, { answer: answer(r.check) });
        if (r.chapterComplete) break;
        position = r.maxPosition;
      }
    }
  }
}
