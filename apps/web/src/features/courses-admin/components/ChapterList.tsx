import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  CloudUploadOutlined,
  DeleteOutlined,
  EditOutlined,
  PlayCircleOutlined,
  PlusOutlined,
} from '@ant-design/icons';
import { formatDuration } from '@cpe/shared/schemas/courses';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Empty, Modal, Progress, Space, Table, Tag, Tooltip, Upload } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { isUnauthenticated, toApiError } from '../../../shared/api/client';
import {
  type Chapter,
  COURSES_KEY,
  type CourseDetail,
  chapterVideoUrl,
  uploadChapterVideo,
  useDeleteChapter,
  useReorderChapters,
  type VideoUploadError,
} from '../api';
import { ChapterModal } from './ChapterModal';

const VIDEO_MIMES = ['video/mp4', 'video/webm'];
const mb = (n: number) => `${(n / 1048576).toFixed(1)}M`;

/** 上传视频 for one chapter: MP4/WebM, with an XHR progress bar and 取消. */
function VideoUpload({ courseId, chapter }: { courseId: string; chapter: Chapter }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [progress, setProgress] = useState<number | null>(null);
  const [abort, setAbort] = useState<(() => void) | null>(null);
  if (progress !== null)
    return (
      <div className="cpe-chapter-progress">
        <Progress percent={progress} size="small" status="active" aria-label="上传进度" />
        <Button size="small" type="link" onClick={() => abort?.()}>
          取消
        </Button>
      </div>
    );
  return (
    <Upload
      accept=".mp4,.webm,video/mp4,video/webm"
      showUploadList={false}
      beforeUpload={(file) => {
        if (file.type && !VIDEO_MIMES.includes(file.type)) {
          message.error('视频仅支持 MP4、WebM 格式');
          return Upload.LIST_IGNORE;
        }
        return true;
      }}
      customRequest={({ file, onSuccess, onError }) => {
        setProgress(0);
        const up = uploadChapterVideo(courseId, chapter.id, file as File, setProgress);
        setAbort(() => up.abort);
        up.done
          .then((r) => {
            onSuccess?.(r);
            message.success(
              r.probedSeconds
                ? `视频已上传，时长 ${formatDuration(r.probedSeconds)} 已设为章节学习时长`
                : '视频已上传（未能读取视频时长，请核对章节时长）',
            );
            return queryClient.invalidateQueries({ queryKey: COURSES_KEY });
          })
          .catch((e: VideoUploadError) => {
            if (e.code !== 'ABORTED' && e.status !== 401) message.error(e.fields?.file ?? e.message);
            onError?.(new Error(e.message));
          })
          .finally(() => {
            setProgress(null);
            setAbort(null);
          });
      }}
    >
      <Button size="small" icon={<CloudUploadOutlined />}>
        {chapter.videoFileId ? '重新上传' : '上传视频'}
      </Button>
    </Upload>
  );
}

/** 章节: order (上移/下移), duration mm:ss, video and its preview, 防挂机题库, edit and delete. */
export function ChapterList({ course }: { course: CourseDetail }) {
  const { message, modal } = App.useApp();
  const reorder = useReorderChapters();
  const remove = useDeleteChapter();
  const [editing, setEditing] = useState<{ open: boolean; chapter: Chapter | null; key: number }>({
    open: false,
    chapter: null,
    key: 0,
  });
  const [preview, setPreview] = useState<Chapter | null>(null);
  const chapters = course.chapters;

  const move = async (index: number, to: number) => {
    const ids = chapters.map((c) => c.id);
    const [x] = ids.splice(index, 1);
    ids.splice(to, 0, x as string);
    try {
      await reorder.mutateAsync({ courseId: course.id, chapterIds: ids });
    } catch (err) {
      if (!isUnauthenticated(err)) message.error(toApiError(err).message);
    }
  };
  const confirmDelete = (c: Chapter) =>
    modal.confirm({
      title: `删除章节“${c.title}”？`,
      content: '章节的视频和防挂机题库将一并删除，删除后不可恢复。',
      okText: '删除',
      okButtonProps: { danger: true },
      cancelText: '取消',
      focusable: { autoFocusButton: 'cancel' },
      onOk: async () => {
        try {
          await remove.mutateAsync({ courseId: course.id, id: c.id });
          message.success('章节已删除');
        } catch (err) {
          if (!isUnauthenticated(err)) message.error(toApiError(err).message);
        }
      },
    });

  const columns: ColumnsType<Chapter> = [
    { title: '序号', dataIndex: 'position', width: 56, align: 'center' },
    { title: '章节名称', dataIndex: 'title' },
    {
      title: '时长',
      dataIndex: 'durationSeconds',
      width: 76,
      align: 'right',
      render: (s: number) => <span className="cpe-num">{formatDuration(s)}</span>,
    },
    {
      title: '视频',
      key: 'video',
      width: 190,
      render: (_v, c) => (
        <Space size={4} wrap>
          {c.videoFileId ? (
            <Tooltip title={`${c.videoMime === 'video/webm' ? 'WebM' : 'MP4'}，${mb(c.videoSize ?? 0)}`}>
              <Button size="small" type="link" icon={<PlayCircleOutlined />} onClick={() => setPreview(c)}>
                预览
              </Button>
            </Tooltip>
          ) : (
            <Tag color="warning">未上传</Tag>
          )}
          <VideoUpload courseId={course.id} chapter={c} />
        </Space>
      ),
    },
    {
      title: '防挂机题库',
      key: 'questions',
      width: 96,
      render: (_v, c) => (c.questions.length ? `${c.questions.length} 题` : <span className="cpe-muted">未设置</span>),
    },
    {
      title: '操作',
      key: 'action',
      width: 150,
      render: (_v, c, index) => (
        <Space size={0}>
          <Button
            type="text"
            size="small"
            icon={<ArrowUpOutlined />}
            title="上移"
            aria-label={`上移第${index + 1}章`}
            disabled={index === 0 || reorder.isPending}
            onClick={() => move(index, index - 1)}
          />
          <Button
            type="text"
            size="small"
            icon={<ArrowDownOutlined />}
            title="下移"
            aria-label={`下移第${index + 1}章`}
            disabled={index === chapters.length - 1 || reorder.isPending}
            onClick={() => move(index, index + 1)}
          />
          <Button
            type="text"
            size="small"
            icon={<EditOutlined />}
            title="编辑章节与题库"
            aria-label={`编辑第${index + 1}章`}
            onClick={() => setEditing((e) => ({ open: true, chapter: c, key: e.key + 1 }))}
          />
          <Button
            type="text"
            size="small"
            danger
            icon={<DeleteOutlined />}
            title="删除"
            aria-label={`删除第${index + 1}章`}
            onClick={() => confirmDelete(c)}
          />
        </Space>
      ),
    },
  ];

  return (
    <>
      <Table<Chapter>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={chapters}
        pagination={false}
        scroll={{ x: 760 }}
        locale={{ emptyText: <Empty description="还没有章节：每个章节对应一段视频" /> }}
      />
      <Button
        type="dashed"
        block
        icon={<PlusOutlined />}
        style={{ marginTop: 12 }}
        onClick={() => setEditing((e) => ({ open: true, chapter: null, key: e.key + 1 }))}
      >
        添加章节
      </Button>
      <ChapterModal
        key={editing.key}
        open={editing.open}
        courseId={course.id}
        chapter={editing.chapter}
        onClose={() => setEditing((e) => ({ ...e, open: false }))}
      />
      <Modal
        open={!!preview}
        title={preview ? `预览：${preview.title}` : ''}
        footer={null}
        width={720}
        destroyOnHidden
        onCancel={() => setPreview(null)}
      >
        {preview?.videoFileId && (
          // biome-ignore lint/a11y/useMediaCaption: operator preview of an uploaded file; captions are burned in
          <video
            className="cpe-chapter-video"
            controls
            preload="metadata"
            src={chapterVideoUrl(preview.id, preview.videoFileId)}
          />
        )}
      </Modal>
    </>
  );
}
