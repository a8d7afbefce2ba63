import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { ZPlanCourse } from '@cpe/shared/schemas/purchase';
import { Alert, Button, Form, Input, InputNumber } from 'antd';
import { useState } from 'react';
import { zodRule } from '../../../shared/form/rules';
import type { PlanCourse } from '../types';

/** The sum the server reports as totalHours; rows still being typed count as 0. */
function sumHours(courses: Array<Partial<PlanCourse> | undefined> | undefined): number {
  return (courses ?? []).reduce((s, c) => s + (Number.isInteger(c?.hours) ? (c?.hours as number) : 0), 0);
}

/**
 * 课程: the plan's courses in the order learners see them — 课程名称 and 学时 per row, 上移 / 下移 / 删除,
 * 添加课程 (focusing the new row's name). Below, 合计学时 against 要求学时: a shortfall is a warning
 * only, as the training centre may still be adding courses.
 */
export function CourseList({ requiredHours }: { requiredHours: number | undefined }) {
  const courses = Form.useWatch<Array<Partial<PlanCourse> | undefined> | undefined>('courses');
  const total = sumHours(courses);
  // 添加课程 puts the cursor in the new row's name: autoFocus acts only when a row mounts, and the rows
  // already there keep their (stable) keys, so only the new one takes it.
  const [focusIndex, setFocusIndex] = useState<number | null>(null);

  return (
    <Form.List name="courses">
      {(fields, { add, remove, move }) => (
        <div className="cpe-plan-courses">
          {fields.length > 0 && (
            <div className="cpe-plan-course-head" aria-hidden>
              <span>序号</span>
              <span>课程名称</span>
              <span>学时</span>
              <span>操作</span>
            </div>
          )}
          {fields.map((field, index) => {
            const n = index + 1;
            return (
              <div key={field.key} className="cpe-plan-course-row">
                <span className="cpe-plan-course-no">{n}</span>
                <Form.Item name={[field.name, 'title']} rules={[zodRule(ZPlanCourse.shape.title)]}>
                  <Input
                    maxLength={100}
                    placeholder="课程名称"
                    aria-label={`第${n}门课程名称`}
                    autoFocus={index === focusIndex}
                  />
                </Form.Item>
                <Form.Item name={[field.name, 'hours']} rules={[zodRule(ZPlanCourse.shape.hours)]}>
                  <InputNumber
                    min={1}
                    max={200}
                    precision={0}
                    placeholder="学时"
                    aria-label={`第${n}门课程学时`}
                    className="cpe-plan-course-hours"
                  />
                </Form.Item>
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
                    disabled={index === fields.length - 1}
                    onClick={() => move(index, index + 1)}
                  />
                  <Button
                    type="text"
                    size="small"
                    danger
                    icon={<DeleteOutlined />}
                    title="删除"
                    aria-label={`删除第${n}门课程`}
                    onClick={() => remove(index)}
                  />
                </span>
              </div>
            );
          })}
          <Button
            type="dashed"
            block
            icon={<PlusOutlined />}
            onClick={() => {
              setFocusIndex(fields.length);
              add({ title: '' });
            }}
          >
            添加课程
          </Button>
          {requiredHours !== undefined && total < requiredHours ? (
            <Alert
              type="warning"
              showIcon
              title={`共 ${fields.length} 门课程，合计 ${total} 学时，低于要求学时 ${requiredHours} 学时：学员学完全部课程也达不到要求。`}
            />
          ) : (
            <div className="cpe-plan-course-total">
              共 {fields.length} 门课程，合计 {total} 学时{requiredHours ? `（要求 ${requiredHours} 学时）` : ''}
            </div>
          )}
        </div>
      )}
    </Form.List>
  );
}
