import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined } from '@ant-design/icons';
import { Alert, Button, Empty, Select } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useCourses } from '../../courses-admin/api';
import type { PlanCourse } from '../types';
import '../../courses-admin/courses-admin.css';

/**
 * 课程 of a plan as a form field holding course ids: chosen from 课程管理 with a searchable select, in the order
 * learners see them (上移 / 下移 / 移除). Below, 合计学时 against 要求学时 — 发布 is refused by the server
 * until the sum reaches it, so a shortfall shows as a warning while the plan is still a draft.
 */
export function CourseList({
  id,
  value,
  onChange,
  requiredHours,
  initial,
}: {
  id?: string;
  value?: string[];
  onChange?: (ids: string[]) => void;
  requiredHours: number | undefined;
  /** The plan's courses as saved, to show their names before any search. */
  initial: PlanCourse[];
}) {
  const ids = value ?? [];
  const [search, setSearch] = useState('');
  const [debounced, setDebounced] = useState('');
  useEffect(() => {
    const t = setTimeout(() => setDebounced(search.trim()), 250);
    return () => clearTimeout(t);
  }, [search]);
  const options = useCourses({ q: debounced || undefined, pageSize: 50, sort: 'title', order: 'asc' });
  // Every course seen (saved or found) by id, so chosen rows keep their title and hours across searches.
  const [known, setKnown] = useState(() => new Map(initial.map((c) => [c.id, c])));
  useEffect(() => {
    const items = options.data?.items;
    if (!items?.length) return;
    setKnown((prev) => {
      const next = new Map(prev);
      for (const c of items) next.set(c.id, c);
      return next;
    });
  }, [options.data]);

  const rows = ids.map((cid) => known.get(cid)).filter((c): c is PlanCourse => !!c);
  const total = rows.reduce((s, c) => s + c.hours, 0);
  const selectOptions = useMemo(
    () =>
      (options.data?.items ?? []).map((c) => ({
        value: c.id,
        disabled: ids.includes(c.id),
        label: `${c.title}（${c.teacher}，${c.hours}学时，${c.chapterCount}章）`,
      })),
    [options.data, ids],
  );
  const move = (from: number, to: number) => {
    const next = [...ids];
    const [x] = next.splice(from, 1);
    next.splice(to, 0, x as string);
    onChange?.(next);
  };

  return (
    <div className="cpe-plan-courses" id={id}>
      <Select
        showSearch={{ filterOption: false, onSearch: setSearch, searchValue: search }}
        value={null}
        placeholder="搜索课程名称或主讲教师，选择后加入本计划"
        options={selectOptions}
        loading={options.isFetching}
        notFoundContent={
          options.isFetching ? (
            '正在搜索…'
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有找到课程，请先在课程管理中新增" />
          )
        }
        onChange={(cid: string | null) => {
          if (cid && !ids.includes(cid)) onChange?.([...ids, cid]);
          setSearch('');
        }}
        aria-label="添加课程"
        style={{ width: '100%', marginBottom: 8 }}
      />
      {rows.length > 0 && (
        <div className="cpe-plan-course-head" aria-hidden>
          <span>序号</span>
          <span>课程名称</span>
          <span>学时</span>
          <span>操作</span>
        </div>
      )}
      {rows.map((c, index) => {
        const n = index + 1;
        return (
          <div key={c.id} className="cpe-plan-course-row">
            <span className="cpe-plan-course-no">{n}</span>
            <span className="cpe-plan-course-title">
              {c.title}
              <span className="cpe-plan-course-sub">
                {c.teacher} · {c.chapterCount} 章
              </span>
            </span>
            <span className="cpe-plan-course-hours-text">{c.hours}</span>
            <span className="cpe-plan-course-actions">
              <Button
                type="text"
                size="small"
                icon={<ArrowUpOutlined />}
                title="上移"
                aria-label={`上移第${n}门课程`}
                disabled={index === 0}
                onClick={() => move(index, index - 1)}
              />
              <Button
                type="text"
                size="small"
                icon={<ArrowDownOutlined />}
                title="下移"
                aria-label={`下移第${n}门课程`}
                disabled={index === rows.length - 1}
                onClick={() => move(index, index + 1)}
              />
              <Button
                type="text"
                size="small"
                danger
                icon={<DeleteOutlined />}
                title="移除"
                aria-label={`移除第${n}门课程`}
                onClick={() => onChange?.(ids.filter((x) => x !== c.id))}
              />
            </span>
          </div>
        );
      })}
      {requiredHours !== undefined && total < requiredHours ? (
        <Alert
          type="warning"
          showIcon
          title={`共 ${rows.length} 门课程，合计 ${total} 学时，低于要求学时 ${requiredHours} 学时：可保存为未发布，发布前请补足课程。`}
        />
      ) : (
        <div className="cpe-plan-course-total">
          共 {rows.length} 门课程，合计 {total} 学时{requiredHours ? `（要求 ${requiredHours} 学时）` : ''}
        </div>
      )}
    </div>
  );
}
