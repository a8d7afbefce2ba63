import { PlusOutlined } from '@ant-design/icons';
import { CALENDAR_DAY_KIND_LABELS, type TCalendarDayKind, WEEKDAY_LABELS, weekdayOf } from '@cpe/shared/calendar';
import type { TCalendarDay } from '@cpe/shared/schemas/calendar';
import {
  Alert,
  App,
  AutoComplete,
  Breadcrumb,
  Button,
  Calendar,
  Col,
  DatePicker,
  Empty,
  Form,
  Modal,
  Radio,
  Row,
  Select,
  Space,
  Table,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
// Registers 一/二/三… and 十月 for the calendar (antd's zh_CN locale names it; weeks start on Monday).
import 'dayjs/locale/zh-cn';
import { type HTMLAttributes, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { isUnauthenticated, toApiError } from '../../../shared/api/client';
import { useShowApiError } from '../../../shared/api/form-errors';
import { platformDay } from '../../../shared/platform-time';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { useCalendarDays, useDeleteCalendarDay, useSaveCalendarDay } from '../api';
import '../calendar-admin.css';

const FMT = 'YYYY-MM-DD';
const HOLIDAY_NAMES = ['元旦', '春节', '清明节', '劳动节', '端午节', '中秋节', '国庆节'];
const NAME_OPTIONS = [...HOLIDAY_NAMES, ...HOLIDAY_NAMES.map((n) => `${n}调休上班`)].map((value) => ({ value }));
const KIND_TEXT: Record<TCalendarDayKind, string> = { holiday: '法定节假日（放假）', workday: '周末调休上班' };
const isWeekend = (day: string) => weekdayOf(day) === 0 || weekdayOf(day) === 6;

function Mark({ kind }: { kind: TCalendarDayKind }) {
  return (
    <span className={`cpe-cal-mark cpe-cal-mark-${kind}`} title={KIND_TEXT[kind]}>
      {CALENDAR_DAY_KIND_LABELS[kind]}
    </span>
  );
}

interface DayForm {
  day: Dayjs;
  kind: TCalendarDayKind;
  name: string;
}

/** 新增 / 修改 one day: a date (fixed when editing), 休 or 班, and its name. */
function DayModal({
  open,
  editing,
  initialDay,
  byDay,
  onClose,
}: {
  open: boolean;
  editing: TCalendarDay | null;
  initialDay: string | null;
  byDay: Map<string, TCalendarDay>;
  onClose: () => void;
}) {
  const [form] = Form.useForm<DayForm>();
  const save = useSaveCalendarDay();
  const showError = useShowApiError();
  const { message } = App.useApp();

  // A weekday can only become 休 and a weekend day is most often worked (班): start with the likely choice.
  const valuesOf = (day: string): DayForm => {
    const existing = byDay.get(day);
    return {
      day: dayjs(day),
      kind: existing?.kind ?? (isWeekend(day) ? 'workday' : 'holiday'),
      name: existing?.name ?? '',
    };
  };
  const start = editing?.day ?? initialDay;

  return (
    <Modal
      open={open}
      title={editing ? '修改工作日历' : '新增工作日历'}
      okText="保存"
      cancelText="取消"
      destroyOnHidden
      confirmLoading={save.isPending}
      onCancel={onClose}
      onOk={() => form.submit()}
    >
      <Form<DayForm>
        form={form}
        layout="vertical"
        name="calendar-day"
        preserve={false}
        // The form is rebuilt at each opening (destroyOnHidden), so these are the values of this opening.
        initialValues={start ? valuesOf(start) : { kind: 'holiday', name: '' }}
        onFinish={(v) => {
          const day = v.day.format(FMT);
          save.mutate(
            { day, input: { kind: v.kind, name: v.name.trim() } },
            {
              onSuccess: () => {
                message.success(`已保存：${day} ${CALENDAR_DAY_KIND_LABELS[v.kind]}`);
                onClose();
              },
              onError: (err) => showError(err, form),
            },
          );
        }}
      >
        <Form.Item label="日期" name="day" rules={[{ required: true, message: '请选择日期' }]}>
          <DatePicker
            format={FMT}
            disabled={Boolean(editing)}
            style={{ width: 200 }}
            onChange={(d) => d && form.setFieldsValue(valuesOf(d.format(FMT)))}
          />
        </Form.Item>
        <Form.Item
          label="类型"
          name="kind"
          dependencies={['day']}
          rules={[
            { required: true, message: '请选择类型' },
            ({ getFieldValue }) => ({
              validator: (_r, kind: TCalendarDayKind) => {
                const d = getFieldValue('day') as Dayjs | undefined;
                return kind === 'workday' && d && !isWeekend(d.format(FMT))
                  ? Promise.reject(new Error('周一至周五本就是工作日，只有周六、周日可以设为调休上班（班）'))
                  : Promise.resolve();
              },
            }),
          ]}
        >
          <Radio.Group>
            <Radio value="holiday">休（法定节假日）</Radio>
            <Radio value="workday">班（周末调休上班）</Radio>
          </Radio.Group>
        </Form.Item>
        <Form.Item
          label="名称"
          name="name"
          rules={[{ required: true, whitespace: true, message: '请填写名称' }]}
          extra="如：春节、国庆节调休上班"
        >
          <AutoComplete
            options={NAME_OPTIONS}
            maxLength={20}
            filterOption={(input, o) => String(o?.value ?? '').includes(input)}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * 工作日历 (console /calendar, 系统管理): the year's 休 and 班 days as a list and on a month calendar. Every deadline
 * counted in working days (补学审核, 结业上报 …) follows it. Any staff member reads it; 系统管理员 and
 * 市人社局审核人员 edit it.
 */
export function CalendarAdminPage() {
  const site = useSite().data;
  usePageTitle('工作日历', site?.staffConsoleName);
  const today = platformDay();
  const thisYear = Number(today.slice(0, 4));
  const [year, setYear] = useState(thisYear);
  const [month, setMonth] = useState<Dayjs>(() => dayjs(today));
  const list = useCalendarDays(year);
  const remove = useDeleteCalendarDay();
  const showError = useShowApiError();
  const { modal, message } = App.useApp();
  const [editor, setEditor] = useState<{ open: boolean; editing: TCalendarDay | null; day: string | null }>({
    open: false,
    editing: null,
    day: null,
  });

  const items = list.data?.year === year ? list.data.items : [];
  const editable = list.data?.editable ?? false;
  const byDay = useMemo(() => new Map(items.map((d) => [d.day, d])), [items]);
  const years = Array.from({ length: 6 }, (_, i) => thisYear - 3 + i);

  const chooseYear = (y: number) => {
    setYear(y);
    setMonth((m) => m.year(y));
  };
  const onDelete = (d: TCalendarDay) =>
    modal.confirm({
      title: `删除 ${d.day}（${d.name}）？`,
      content: `删除后该日恢复为${isWeekend(d.day) ? '周末休息' : '工作日'}，之后计算的办理期限将按此计算。`,
      okText: '删除',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: () =>
        remove.mutateAsync(d.day).then(
          () => message.success('已删除'),
          (err) => showError(err),
        ),
    });

  const columns: ColumnsType<TCalendarDay> = [
    {
      title: '日期',
      dataIndex: 'day',
      width: 112,
      render: (v: string) => (
        <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setMonth(dayjs(v))}>
          {v}
        </Button>
      ),
    },
    { title: '星期', dataIndex: 'weekday', width: 72, render: (w: number) => WEEKDAY_LABELS[w] },
    { title: '类型', dataIndex: 'kind', width: 56, render: (k: TCalendarDayKind) => <Mark kind={k} /> },
    { title: '名称', dataIndex: 'name' },
    ...(editable
      ? [
          {
            title: '操作',
            key: 'action',
            width: 104,
            render: (_v: unknown, d: TCalendarDay) => (
              <Space size={0}>
                <Button type="link" size="small" onClick={() => setEditor({ open: true, editing: d, day: d.day })}>
                  修改
                </Button>
                <Button type="link" size="small" danger onClick={() => onDelete(d)}>
                  删除
                </Button>
              </Space>
            ),
          },
        ]
      : []),
  ];

  const error = list.error && !isUnauthenticated(list.error) ? toApiError(list.error) : null;

  return (
    <div className="cpe-console-page">
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[{ title: <Link to="/">首页</Link> }, { title: '系统管理' }, { title: '工作日历' }]}
      />
      <div className="cpe-console-panel" style={{ paddingTop: 16 }}>
        <div className="cpe-cal-toolbar">
          <Space wrap>
            <Select
              value={year}
              onChange={chooseYear}
              style={{ width: 110 }}
              options={years.map((y) => ({ value: y, label: `${y}年` }))}
              aria-label="年份"
            />
            <span className="cpe-cal-legend">
              <span>
                <Mark kind="holiday" /> 法定节假日
              </span>
              <span>
                <Mark kind="workday" /> 周末调休上班
              </span>
              <span>未列出的日子：周一至周五上班，周六、周日休息</span>
            </span>
          </Space>
          {editable && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setEditor({ open: true, editing: null, day: null })}
            >
              新增
            </Button>
          )}
        </div>
        {error && (
          <Alert
            style={{ marginBottom: 12 }}
            type="error"
            showIcon
            title={error.message}
            action={
              <Button size="small" onClick={() => list.refetch()}>
                重试
              </Button>
            }
          />
        )}
        {!editable && list.data && (
          <Alert
            style={{ marginBottom: 12 }}
            type="info"
            showIcon
            title="工作日历由系统管理员和市人社局审核人员维护，您可以查看。"
          />
        )}
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={11}>
            <Table<TCalendarDay>
              rowKey="day"
              size="small"
              bordered
              columns={columns}
              dataSource={items}
              loading={list.isFetching}
              pagination={false}
              scroll={{ y: 620 }}
              onRow={(d) => ({ 'data-day': d.day }) as HTMLAttributes<HTMLElement>}
              locale={{
                emptyText: list.isPending ? (
                  '加载中…'
                ) : (
                  <Empty
                    image={Empty.PRESENTED_IMAGE_SIMPLE}
                    description={`${year}年还没有节假日安排${editable ? '，点击“新增”添加' : ''}`}
                  />
                ),
              }}
            />
          </Col>
          <Col xs={24} xl={13}>
            <Calendar
              className="cpe-cal-view"
              value={month}
              onPanelChange={(d) => {
                setMonth(d);
                if (d.year() !== year) setYear(d.year());
              }}
              onSelect={(d, info) => {
                if (d.year() !== year) setYear(d.year());
                setMonth(d);
                if (info.source !== 'date' || !editable) return;
                const day = d.format(FMT);
                setEditor({ open: true, editing: byDay.get(day) ?? null, day });
              }}
              cellRender={(d, info) => {
                if (info.type !== 'date') return null;
                const x = byDay.get(d.format(FMT));
                return x ? (
                  <div data-mark={x.kind}>
                    <Mark kind={x.kind} />
                    <span className="cpe-cal-name">{x.name}</span>
                  </div>
                ) : null;
              }}
            />
          </Col>
        </Row>
      </div>
      <DayModal
        open={editor.open}
        editing={editor.editing}
        initialDay={editor.day}
        byDay={byDay}
        onClose={() => setEditor((e) => ({ ...e, open: false }))}
      />
    </div>
  );
}
