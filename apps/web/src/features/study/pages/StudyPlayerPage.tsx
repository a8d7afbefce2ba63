import {
  CheckCircleFilled,
  ClockCircleOutlined,
  ExclamationCircleFilled,
  PlayCircleOutlined,
  StepForwardOutlined,
} from '@ant-design/icons';
import type { TStudyCheck, TStudyHeartbeatResult, TStudySession } from '@cpe/shared/schemas/study';
import { STUDY_COMPLETE_RATIO, STUDY_MAX_RATE } from '@cpe/shared/schemas/study';
import { useQueryClient } from '@tanstack/react-query';
import { App, Breadcrumb, Button, Modal, Progress, Radio, Result, Select, Space, Tag } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { toApiError } from '../../../shared/api/client';
import { PageSpin } from '../../../shared/PageSpin';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { STUDY_KEY, studyApi, useStudyCourse } from '../api';
import { type BeatChannel, createBeatChannel } from '../beat-channel';
import { clock, StudyLoadError } from '../components/common';
import '../study.css';

const RATES = [0.75, 1, 1.25, 1.5, STUDY_MAX_RATE];

type Phase =
  | { kind: 'starting' }
  | { kind: 'ready'; session: TStudySession }
  | { kind: 'replaced' }
  | { kind: 'error'; error: unknown };

/** 防挂机: pauses the video, cannot be dismissed, counts down to the deadline. */
function CheckModal({
  check,
  onAnswer,
  onExpired,
}: {
  check: TStudyCheck | null;
  onAnswer: (answer: number) => Promise<void>;
  onExpired: () => void;
}) {
  const [choice, setChoice] = useState<number | null>(null);
  const [left, setLeft] = useState(0);
  const [busy, setBusy] = useState(false);
  const expiredFor = useRef<string | null>(null);

  useEffect(() => {
    setChoice(null);
    if (!check) return;
    const tick = () => {
      const s = Math.max(0, Math.ceil((new Date(check.deadlineAt).getTime() - Date.now()) / 1000));
      setLeft(s);
      if (s === 0 && expiredFor.current !== check.id) {
        expiredFor.current = check.id;
        onExpired();
      }
    };
    tick();
    const t = setInterval(tick, 1000);
    return () => clearInterval(t);
  }, [check, onExpired]);

  return (
    <Modal
      open={Boolean(check)}
      title={
        <span>
          <ExclamationCircleFilled className="cpe-study-check-icon" /> 防挂机答题
        </span>
      }
      closable={false}
      mask={{ closable: false }}
      keyboard={false}
      centered
      footer={
        <Button
          type="primary"
          disabled={choice === null || left === 0}
          loading={busy}
          onClick={async () => {
            if (choice === null) return;
            setBusy(true);
            try {
              await onAnswer(choice);
            } finally {
              setBusy(false);
            }
          }}
        >
          提交答案
        </Button>
      }
    >
      {check && (
        <div className="cpe-study-check">
          <p className="cpe-study-check-note">
            学习已暂停。请在 <strong className={left <= 30 ? 'is-urgent' : undefined}>{clock(left)}</strong>{' '}
            内作答；答错或超时，自上次答题以来的学习时长将不计入学时。
          </p>
          <p className="cpe-study-check-prompt">{check.prompt}</p>
          <Radio.Group
            className="cpe-study-check-options"
            value={choice}
            onChange={(e) => setChoice(e.target.value as number)}
            options={check.options.map((o, i) => ({ value: i, label: `${String.fromCharCode(65 + i)}. ${o}` }))}
          />
        </div>
      )}
    </Modal>
  );
}

/**
 * The player: plays a chapter from where the learner left off, reports the position every few seconds (and on
 * pause, play and seek), refuses seeking beyond what has been credited, asks 防挂机 questions, and stops when
 * the learner starts studying on another device or tab.
 */
export function StudyPlayerPage() {
  const { planId = '', courseId = '', chapterId = '' } = useParams();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const site = useSite().data;
  const queryClient = useQueryClient();
  const course = useStudyCourse(planId, courseId);
  const chapters = course.data?.chapters ?? [];
  const index = chapters.findIndex((c) => c.id === chapterId);
  const chapter = index >= 0 ? chapters[index] : undefined;
  const nextChapter = index >= 0 ? chapters[index + 1] : undefined;
  usePageTitle(chapter?.title ?? '课程学习', site?.name);

  const [phase, setPhase] = useState<Phase>({ kind: 'starting' });
  const [attempt, setAttempt] = useState(0);
  const [credited, setCredited] = useState(0);
  const [complete, setComplete] = useState(false);
  const [check, setCheck] = useState<TStudyCheck | null>(null);
  const [rate, setRate] = useState(1);
  const [videoUrl, setVideoUrl] = useState<string | null>(null);

  const video = useRef<HTMLVideoElement>(null);
  const session = useRef<TStudySession | null>(null);
  /** The session's heartbeats: over the live channel, or HTTP when it cannot be used. */
  const channel = useRef<BeatChannel | null>(null);
  /** Furthest position the learner may seek to: the server's credited frontier plus what played since. */
  const reached = useRef(0);
  const lastTime = useRef(0);
  const playedSinceBeat = useRef(false);
  const checkOpen = useRef(false);
  /**
   * The chapter is complete: read by heartbeat answers already in flight, which carry the render's state of when they
   * were sent (two answers after the completing one toasted 本章节已学习完成 twice).
   */
  const completeRef = useRef(false);
  const chain = useRef<Promise<unknown>>(Promise.resolve());
  const alive = useRef(true);

  const refreshLists = useCallback(() => queryClient.invalidateQueries({ queryKey: STUDY_KEY }), [queryClient]);

  const stop = useCallback(() => {
    video.current?.pause();
    session.current = null;
    channel.current?.close();
    channel.current = null;
  }, []);

  const apply = useCallback(
    (r: TStudyHeartbeatResult) => {
      setCredited(r.creditedSeconds);
      if (r.chapterComplete && !completeRef.current) {
        completeRef.current = true;
        setComplete(true);
        message.success('本章节已学习完成');
        void refreshLists();
      }
      const v = video.current;
      if (r.seekTo !== null && v) {
        v.currentTime = r.seekTo;
        reached.current = r.seekTo;
        lastTime.current = r.seekTo;
        message.info('快进或倍速超出实际学习时间的部分不计入学时，已回到已学位置');
      } else reached.current = Math.max(reached.current, Math.min(r.maxPosition, v?.currentTime ?? r.maxPosition));
      if (r.voidedSeconds > 0) message.warning(`防挂机问题未在规定时间内作答，${r.voidedSeconds} 秒学习时长不计入学时`);
      if (r.videoUrl && v) {
        const at = v.currentTime;
        const wasPlaying = !v.paused;
        setVideoUrl(r.videoUrl);
        // The new source loads from the start: put the learner back where they were.
        v.addEventListener(
          'loadedmetadata',
          () => {
            v.currentTime = at;
            if (wasPlaying && !checkOpen.current) void v.play().catch(() => {});
          },
          { once: true },
        );
      }
      // A complete chapter earns nothing more: no 防挂机 question over it (one could arrive with the completing beat).
      const ask = completeRef.current ? null : r.check;
      checkOpen.current = Boolean(ask);
      setCheck(ask);
      if (ask) v?.pause();
    },
    [message, refreshLists],
  );

  /** One heartbeat at a time, in order. */
  const beat = useCallback(
    (position: number, playing: boolean) => {
      const s = session.current;
      if (!s) return Promise.resolve();
      const ch = channel.current;
      const run = chain.current.then(async () => {
        if (session.current?.sessionId !== s.sessionId) return;
        try {
          const b = { position, playing, rate: video.current?.playbackRate ?? 1 };
          const r = await (ch ? ch.send(b) : studyApi.heartbeat(s.sessionId, b));
          if (alive.current && session.current?.sessionId === s.sessionId) apply(r);
        } catch (err) {
          const e = toApiError(err);
          if (!alive.current) return;
          if (e.code === 'STUDY_SESSION_REPLACED' || e.code === 'STUDY_SESSION_NOT_FOUND') {
            stop();
            setCheck(null);
            setPhase({ kind: 'replaced' });
          }
          // A network failure is retried by the next heartbeat: the server credits from the last one it got.
        }
      });
      chain.current = run;
      return run;
    },
    [apply, stop],
  );

  const pulse = useCallback(() => {
    const v = video.current;
    if (!v) return Promise.resolve();
    const playing = playedSinceBeat.current || !v.paused;
    playedSinceBeat.current = !v.paused;
    return beat(v.currentTime, playing);
  }, [beat]);

  // Start (or restart) the session for this chapter.
  // biome-ignore lint/correctness/useExhaustiveDependencies: attempt restarts on 在此继续学习.
  useEffect(() => {
    alive.current = true;
    setPhase({ kind: 'starting' });
    setCheck(null);
    checkOpen.current = false;
    let cancelled = false;
    studyApi
      .start(planId, chapterId)
      .then((s) => {
        if (cancelled) {
          studyApi.closeOnUnload(s.sessionId);
          return;
        }
        session.current = s;
        channel.current = createBeatChannel(s.sessionId);
        reached.current = s.maxPosition;
        lastTime.current = s.resumeAt;
        playedSinceBeat.current = false;
        setCredited(s.creditedSeconds);
        completeRef.current = s.chapterComplete;
        setComplete(s.chapterComplete);
        setVideoUrl(s.videoUrl);
        setPhase({ kind: 'ready', session: s });
      })
      .catch((error) => !cancelled && setPhase({ kind: 'error', error }));
    const onHide = () => {
      if (session.current) studyApi.closeOnUnload(session.current.sessionId);
      // Later beats (after a return from the back-forward cache) go over HTTP, as they always did.
      channel.current?.close();
    };
    window.addEventListener('pagehide', onHide);
    return () => {
      cancelled = true;
      alive.current = false;
      window.removeEventListener('pagehide', onHide);
      if (session.current) {
        void pulse();
        studyApi.closeOnUnload(session.current.sessionId);
      }
      session.current = null;
      channel.current?.close();
      channel.current = null;
      void refreshLists();
    };
  }, [planId, chapterId, attempt]);

  // The regular heartbeat.
  const ready = phase.kind === 'ready' ? phase.session : null;
  useEffect(() => {
    if (!ready) return;
    const t = setInterval(() => void pulse(), ready.heartbeatSeconds * 1000);
    return () => clearInterval(t);
  }, [ready, pulse]);

  useEffect(() => {
    if (video.current) video.current.playbackRate = rate;
  }, [rate]);

  const onLoaded = () => {
    const v = video.current;
    if (!v || !ready || v.dataset.resumed === ready.sessionId) return;
    v.dataset.resumed = ready.sessionId;
    v.currentTime = ready.resumeAt;
    v.playbackRate = rate;
  };

  const onTimeUpdate = () => {
    const v = video.current;
    if (!v || v.seeking) return;
    const t = v.currentTime;
    // Continuous playback moves the local frontier; a jump does not.
    if (t - lastTime.current >= 0 && t - lastTime.current < 2 * STUDY_MAX_RATE)
      reached.current = Math.max(reached.current, t);
    lastTime.current = t;
  };

  const onSeeking = () => {
    const v = video.current;
    if (!v) return;
    if (v.currentTime > reached.current + 1) {
      v.currentTime = reached.current;
      message.warning('未学习的部分不能快进，已回到已学位置');
      return;
    }
    // Report the interval played before the jump at the position it ended, then the new position.
    const before = lastTime.current;
    const playing = playedSinceBeat.current || !v.paused;
    playedSinceBeat.current = !v.paused;
    void beat(before, playing);
  };

  const onSeeked = () => {
    const v = video.current;
    if (!v) return;
    lastTime.current = v.currentTime;
    void beat(v.currentTime, false);
  };

  const onPlay = () => {
    const v = video.current;
    if (!v) return;
    if (checkOpen.current) {
      v.pause();
      return;
    }
    // The interval until now was a pause: report it as such, then count from here.
    void beat(v.currentTime, false);
    playedSinceBeat.current = true;
  };

  const onPause = () => void pulse();

  const onEnded = () => void pulse();

  const answer = async (choice: number) => {
    if (!check) return;
    try {
      const r = await studyApi.answer(check.id, choice);
      setCredited(r.creditedSeconds);
      checkOpen.current = false;
      setCheck(null);
      const v = video.current;
      if (r.outcome === 'correct') {
        message.success('回答正确，请继续学习');
        void v?.play().catch(() => {});
      } else {
        if (v && v.currentTime > r.maxPosition) v.currentTime = r.maxPosition;
        reached.current = r.maxPosition;
        message.error(
          `${r.outcome === 'wrong' ? '回答错误' : '作答超时'}，自上次答题以来的 ${r.voidedSeconds} 秒学习时长不计入学时`,
        );
      }
    } catch (err) {
      const e = toApiError(err);
      if (e.code === 'STUDY_CHECK_CLOSED') {
        checkOpen.current = false;
        setCheck(null);
        void pulse();
      } else if (e.code === 'STUDY_SESSION_REPLACED') {
        stop();
        setCheck(null);
        setPhase({ kind: 'replaced' });
      } else message.error(e.message);
    }
  };

  const crumbs = (
    <Breadcrumb
      className="cpe-study-breadcrumb"
      items={[
        { title: <Link to="/">首页</Link> },
        { title: <Link to="/study">课程培训</Link> },
        { title: <Link to={`/study/plans/${planId}`}>{course.data?.plan.name ?? '课程列表'}</Link> },
        { title: <Link to={`/study/plans/${planId}/courses/${courseId}`}>{course.data?.course.title ?? '课程'}</Link> },
        { title: chapter?.title ?? '章节' },
      ]}
    />
  );

  let stage: React.ReactNode;
  if (phase.kind === 'starting') stage = <PageSpin />;
  else if (phase.kind === 'error')
    stage = <StudyLoadError error={phase.error} onRetry={() => setAttempt((a) => a + 1)} />;
  else if (phase.kind === 'replaced')
    stage = (
      <Result
        className="cpe-study-replaced"
        status="warning"
        title="您已在其他设备或窗口开始学习，本页学习已停止"
        subTitle="同一账号同一时间只能在一处学习，学时只在正在学习的页面计入。"
        extra={
          <Button type="primary" icon={<PlayCircleOutlined />} onClick={() => setAttempt((a) => a + 1)}>
            在此继续学习
          </Button>
        }
      />
    );
  else if (!videoUrl)
    stage = <Result status="info" title="本章节视频尚未上传" subTitle="请先学习其他章节，或稍后再来。" />;
  else
    stage = (
      // biome-ignore lint/a11y/useMediaCaption: course videos come without caption tracks.
      <video
        ref={video}
        className="cpe-study-video"
        src={videoUrl}
        controls
        playsInline
        preload="metadata"
        controlsList="nodownload noplaybackrate"
        disablePictureInPicture
        onLoadedMetadata={onLoaded}
        onTimeUpdate={onTimeUpdate}
        onSeeking={onSeeking}
        onSeeked={onSeeked}
        onPlay={onPlay}
        onPause={onPause}
        onEnded={onEnded}
      />
    );

  const duration = ready?.durationSeconds ?? chapter?.durationSeconds ?? 0;
  const percent = complete ? 100 : Math.min(99, Math.floor((credited * 100) / Math.max(1, duration)));

  return (
    <div className="cpe-study-page is-player">
      {crumbs}
      {course.isError ? (
        <StudyLoadError error={course.error} onRetry={() => course.refetch()} />
      ) : (
        <div className="cpe-study-player">
          <section className="cpe-study-stage" aria-label="视频">
            <div className="cpe-study-screen">{stage}</div>
            <div className="cpe-study-bar">
              <h1 className="cpe-study-chapter-heading">
                {chapter?.title ?? '\u00a0'}
                {complete && (
                  <Tag color="success" icon={<CheckCircleFilled />} className="cpe-study-title-tag">
                    已完成
                  </Tag>
                )}
              </h1>
              <div className="cpe-study-credit">
                <span className="cpe-study-label">
                  <ClockCircleOutlined /> 已计学习时长 {clock(credited)} / {clock(duration)}
                </span>
                <Progress percent={percent} size="small" status={complete ? 'success' : 'active'} />
                <span className="cpe-study-hint">
                  学习时长达到本章时长的 {Math.round(STUDY_COMPLETE_RATIO * 100)}% 即完成本章。
                </span>
              </div>
              <Space wrap className="cpe-study-controls">
                <span className="cpe-study-rate">
                  播放速度
                  <Select
                    size="small"
                    value={rate}
                    onChange={setRate}
                    options={RATES.map((r) => ({ value: r, label: `${r}×` }))}
                    aria-label="播放速度"
                  />
                </span>
                {nextChapter && (
                  <Button
                    icon={<StepForwardOutlined />}
                    onClick={() => navigate(`/study/plans/${planId}/courses/${courseId}/chapters/${nextChapter.id}`)}
                  >
                    下一章
                  </Button>
                )}
              </Space>
              {rate > 1 && (
                <p className="cpe-study-hint is-warn">倍速播放时，学时按实际经过的时间计入，超出部分需重新观看。</p>
              )}
            </div>
          </section>
          <aside className="cpe-study-side" aria-label="章节列表">
            <h2 className="cpe-study-subtitle">章节列表</h2>
            <ol className="cpe-study-side-list">
              {chapters.map((c, i) => (
                <li key={c.id} className={c.id === chapterId ? 'is-current' : undefined}>
                  <Link
                    to={`/study/plans/${planId}/courses/${courseId}/chapters/${c.id}`}
                    aria-current={c.id === chapterId ? 'page' : undefined}
                  >
                    <span className="cpe-study-chapter-no">{i + 1}</span>
                    <span className="cpe-study-chapter-main">
                      <span className="cpe-study-chapter-title">{c.title}</span>
                      <span className="cpe-study-chapter-meta">
                        {clock(c.durationSeconds)} ·{' '}
                        {c.id === chapterId
                          ? complete
                            ? '已完成'
                            : `${percent}%`
                          : c.complete
                            ? '已完成'
                            : `${c.percent}%`}
                      </span>
                    </span>
                    {(c.id === chapterId ? complete : c.complete) && (
                      <CheckCircleFilled className="cpe-study-done-icon" />
                    )}
                  </Link>
                </li>
              ))}
            </ol>
          </aside>
        </div>
      )}
      <CheckModal check={check} onAnswer={answer} onExpired={() => void pulse()} />
    </div>
  );
}
