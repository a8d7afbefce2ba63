import { formatDuration, ZCourseInput } from '@cpe/shared/schemas/courses';
import { Alert, App, Button, Col, Divider, Drawer, Form, Input, InputNumber, Row, Skeleton } from 'antd';
import { useState } from 'react';
import { isUnauthenticated, toApiError } from '../../../shared/api/client';
import { applyApiError } from '../../../shared/api/form-errors';
import { ImageUpload } from '../../../shared/form/ImageUpload';
import { zodRule } from '../../../shared/form/rules';
import { type CourseDetail, courseCoverUrl, uploadCourseCover, useCourse, useSaveCourse } from '../api';
import { ChapterList } from './ChapterList';

interface CourseFormValues {
  title?: string;
  teacher?: string;
  hours?: number;
  coverFileId?: string | null;
  description?: string;
}
const SHAPE = ZCourseInput.shape;

/** 课程封面 as a form field holding the uploaded file's id: uploads at once and previews the re-encoded image. */
function CourseCover(props: { id?: string; value?: string | null; onChange?: (v: string | null) => void }) {
  return (
    <ImageUpload
      {...props}
      upload={uploadCourseCover}
      srcOf={courseCoverUrl}
      className="cpe-course-cover"
      alt="课程封面预览"
      empty={<div className="cpe-course-cover-img cpe-course-thumb-empty">暂无封面</div>}
      hint={<div className="cpe-muted">JPG、PNG 格式，不超过5M，建议 16:9。</div>}
    />
  );
}

function CourseForm({ course, onSaved }: { course: CourseDetail | null; onSaved: (c: CourseDetail) => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<CourseFormValues>();
  const [error, setError] = useState<string | null>(null);
  const save = useSaveCourse();
  const submit = async (v: CourseFormValues) => {
    setError(null);
    try {
      const saved = await save.mutateAsync({
        id: course?.id ?? null,
        input: {
          title: (v.title ?? '').trim(),
          teacher: (v.teacher ?? '').trim(),
          hours: v.hours as number,
          coverFileId: v.coverFileId ?? null,
          description: (v.description ?? '').trim(),
        },
      });
      message.success(course ? '课程已保存' : '课程已新增，请继续添加章节');
      onSaved(saved);
    } catch (err) {
      if (!isUnauthenticated(err)) setError(applyApiError(toApiError(err), form));
    }
  };
  return (
    <Form<CourseFormValues>
      form={form}
      name="course"
      layout="vertical"
      disabled={save.isPending}
      initialValues={
        course
          ? {
              title: course.title,
              teacher: course.teacher,
              hours: course.hours,
              coverFileId: course.coverFileId,
              description: course.description,
            }
          : { coverFileId: null }
      }
      onFinish={submit}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form.Item label="课程名称" name="title" rules={[zodRule(SHAPE.title)]}>
        <Input maxLength={100} showCount placeholder="例：数字经济与创新驱动发展" autoFocus={!course} />
      </Form.Item>
      <Row gutter={16}>
        <Col xs={24} sm={14}>
          <Form.Item label="主讲教师" name="teacher" rules={[zodRule(SHAPE.teacher)]}>
            <Input maxLength={50} placeholder="主讲教师姓名" />
          </Form.Item>
        </Col>
        <Col xs={24} sm={10}>
          <Form.Item label="学时" name="hours" rules={[zodRule(SHAPE.hours)]} extra="学完全部章节后计入的学时">
            <InputNumber min={1} max={100} precision={0} suffix="学时" style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item label="课程封面" name="coverFileId">
        <CourseCover />
      </Form.Item>
      <Form.Item label="课程简介" name="description">
        <Input.TextArea maxLength={2000} showCount autoSize={{ minRows: 2, maxRows: 6 }} placeholder="课程内容简介" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={save.isPending}>
        {course ? '保存课程信息' : '保存并添加章节'}
      </Button>
    </Form>
  );
}

/** 新增 / 编辑 one course: its details, then its chapters (videos, 防挂机题库, order). */
export function CourseDrawer({
  open,
  courseId,
  onClose,
  onCreated,
}: {
  open: boolean;
  courseId: string | null;
  onClose: () => void;
  onCreated: (id: string) => void;
}) {
  const course = useCourse(courseId);
  const c = course.data ?? null;
  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={880}
      destroyOnHidden
      title={courseId ? `编辑课程${c ? `：${c.title}` : ''}` : '新增课程'}
    >
      {courseId && course.isLoading ? (
        <Skeleton active />
      ) : course.error && !isUnauthenticated(course.error) ? (
        <Alert type="error" showIcon title={toApiError(course.error).message} />
      ) : (
        <>
          <CourseForm key={c?.id ?? 'new'} course={c} onSaved={(saved) => !courseId && onCreated(saved.id)} />
          {c && (
            <>
              <Divider titlePlacement="start">
                章节（{c.chapters.length} 个，合计 {formatDuration(c.totalSeconds)}）
              </Divider>
              <ChapterList course={c} />
            </>
          )}
        </>
      )}
    </Drawer>
  );
}
