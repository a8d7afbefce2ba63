import { CheckCircleFilled, PlayCircleOutlined } from '@ant-design/icons';
import { Breadcrumb, Button, Empty, Progress, Tag } from 'antd';
import { Link, useNavigate, useParams } from 'react-router';
import { PageSpin } from '../../../shared/PageSpin';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { useStudyCourse } from '../api';
import { CourseCover, clock, StudyLoadError } from '../components/common';
import '../study.css';

/** A course: its chapters with progress; 开始学习 / 继续学习 the first one not complete. */
export function StudyCoursePage() {
  const { planId = '', courseId = '' } = useParams();
  const navigate = useNavigate();
  const site = useSite().data;
  const q = useStudyCourse(planId, courseId);
  usePageTitle(q.data?.course.title ?? '课程', site?.name);
  const d = q.data;
  const base = `/study/plans/${planId}/courses/${courseId}/chapters`;
  const next = d?.chapters.find((c) => !c.complete) ?? d?.chapters[0];
  const started = d?.chapters.some((c) => c.creditedSeconds > 0);
  return (
    <div className="cpe-study-page">
      <Breadcrumb
        className="cpe-study-breadcrumb"
        items={[
          { title: <Link to="/">首页</Link> },
          { title: <Link to="/study">课程培训</Link> },
          { title: <Link to={`/study/plans/${planId}`}>{d?.plan.name ?? '课程列表'}</Link> },
          { title: d?.course.title ?? '课程' },
        ]}
      />
      {q.isPending ? (
        <PageSpin />
      ) : q.isError ? (
        <StudyLoadError error={q.error} onRetry={() => q.refetch()} />
      ) : d ? (
        <>
          <section className="cpe-study-course-head">
            <CourseCover title={d.course.title} hours={d.course.hours} />
            <div className="cpe-study-course-head-body">
              <h1 className="cpe-study-title">
                {d.course.title}
                {d.course.complete && (
                  <Tag color="success" icon={<CheckCircleFilled />} className="cpe-study-title-tag">
                    已完成
                  </Tag>
                )}
              </h1>
              <p className="cpe-study-course-meta">
                主讲：{d.course.teacher || '—'} · {d.course.hours} 学时 · {d.chapters.length} 个章节 · 总时长{' '}
                {clock(d.course.durationSeconds)}
              </p>
              {d.course.description && <p className="cpe-study-course-desc">{d.course.description}</p>}
              <Progress percent={d.course.percent} status={d.course.complete ? 'success' : 'normal'} />
              <p className="cpe-study-hint">需要学习完每个章节才可获得该课程的 {d.course.hours} 学时。</p>
              {next && (
                <Button
                  type="primary"
                  size="large"
                  icon={<PlayCircleOutlined />}
                  onClick={() => navigate(`${base}/${next.id}`)}
                >
                  {d.course.complete ? '再次观看' : started ? '继续学习' : '开始学习'}
                </Button>
              )}
            </div>
          </section>
          <section className="cpe-study-panel" aria-label="章节">
            <h2 className="cpe-study-subtitle">章节</h2>
            {d.chapters.length === 0 ? (
              <Empty description="该课程暂无章节" />
            ) : (
              <ol className="cpe-study-chapters">
                {d.chapters.map((ch, i) => (
                  <li key={ch.id} className={ch.complete ? 'is-complete' : undefined}>
                    <Link to={`${base}/${ch.id}`} className="cpe-study-chapter">
                      <span className="cpe-study-chapter-no">{i + 1}</span>
                      <span className="cpe-study-chapter-main">
                        <span className="cpe-study-chapter-title">{ch.title}</span>
                        <span className="cpe-study-chapter-meta">
                          时长 {clock(ch.durationSeconds)} · 已学 {clock(ch.creditedSeconds)}
                        </span>
                      </span>
                      {ch.complete ? (
                        <Tag color="success" icon={<CheckCircleFilled />}>
                          已完成
                        </Tag>
                      ) : (
                        <Progress type="circle" size={40} percent={ch.percent} aria-label={`进度 ${ch.percent}%`} />
                      )}
                    </Link>
                  </li>
                ))}
              </ol>
            )}
          </section>
        </>
      ) : null}
    </div>
  );
}
