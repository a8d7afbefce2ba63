import { CheckCircleFilled, UserOutlined } from '@ant-design/icons';
import type { TStudyCourse } from '@cpe/shared/schemas/study';
import { Breadcrumb, Empty, Pagination, Progress, Tag } from 'antd';
import { Link, useParams, useSearchParams } from 'react-router';
import { PageSpin } from '../../../shared/PageSpin';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { useStudyCourses } from '../api';
import { CourseCover, StudyLoadError } from '../components/common';
import { PlanSummary } from '../components/PlanSummary';
import '../study.css';

const PAGE_SIZE = 12;

function CourseCard({ planId, course }: { planId: string; course: TStudyCourse }) {
  const to = `/study/plans/${planId}/courses/${course.id}`;
  return (
    <article className="cpe-study-course" data-course-id={course.id}>
      <Link to={to} className="cpe-study-course-link" aria-label={`${course.title}，${course.percent}%`}>
        <CourseCover title={course.title} hours={course.hours}>
          {course.complete && (
            <Tag color="success" icon={<CheckCircleFilled />} className="cpe-study-course-done">
              已完成
            </Tag>
          )}
        </CourseCover>
      </Link>
      <div className="cpe-study-course-body">
        <h2 className="cpe-study-course-name">
          <Link to={to}>{course.title}</Link>
        </h2>
        <p className="cpe-study-course-meta">
          <UserOutlined /> {course.teacher || '—'} · {course.hours} 学时 · {course.chapterCount} 个章节
        </p>
        <Progress
          percent={course.percent}
          size="small"
          status={course.complete ? 'success' : 'normal'}
          aria-label={`学习进度 ${course.percent}%`}
        />
        <p className="cpe-study-course-meta">
          已学完 {course.completedChapters} / {course.chapterCount} 章
        </p>
      </div>
    </article>
  );
}

/** 课程展示: the plan's courses, a page at a time, with each one's progress. */
export function StudyCoursesPage() {
  const { planId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const site = useSite().data;
  const list = useStudyCourses(planId, page, PAGE_SIZE);
  usePageTitle(list.data?.plan.name ?? '课程列表', site?.name);
  const data = list.data;
  return (
    <div className="cpe-study-page">
      <Breadcrumb
        className="cpe-study-breadcrumb"
        items={[
          { title: <Link to="/">首页</Link> },
          { title: <Link to="/study">课程培训</Link> },
          { title: data?.plan.name ?? '课程列表' },
        ]}
      />
      {list.isPending ? (
        <PageSpin />
      ) : list.isError ? (
        <StudyLoadError error={list.error} onRetry={() => list.refetch()} />
      ) : data ? (
        <>
          <PlanSummary plan={data.plan} />
          {data.items.length === 0 ? (
            <div className="cpe-study-panel">
              <Empty description="该学习计划暂未安排课程" />
            </div>
          ) : (
            <>
              <div className="cpe-study-courses" aria-busy={list.isFetching}>
                {data.items.map((c) => (
                  <CourseCard key={c.id} planId={planId} course={c} />
                ))}
              </div>
              <Pagination
                className="cpe-study-pager"
                current={data.page}
                pageSize={data.pageSize}
                total={data.total}
                showSizeChanger={false}
                showTotal={(t) => `共 ${t} 门课程`}
                hideOnSinglePage={false}
                onChange={(p) => setParams(p > 1 ? { page: String(p) } : {})}
              />
            </>
          )}
        </>
      ) : null}
    </div>
  );
}
