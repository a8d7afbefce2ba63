import type { ApplicationTypeDef } from '@cpe/shared/applications/index';
import { Alert } from 'antd';
import type { ReactNode } from 'react';
import '../applications.css';

interface Group {
  sectionId: string;
  title: string;
  items: { field: string; message: string }[];
}

/** `section.field` → message, grouped by section in the order of the 申报书 (unknown keys last, as sent). */
function groupsOf(def: ApplicationTypeDef, fields: Record<string, string>): Group[] {
  const groups: Group[] = [];
  const seen = new Set<string>();
  for (const s of def.sections) {
    const items = s.fields
      .filter((f) => fields[`${s.id}.${f.name}`] !== undefined)
      .map((f) => ({ field: f.name, message: fields[`${s.id}.${f.name}`] as string }));
    for (const f of items) seen.add(`${s.id}.${f.field}`);
    if (items.length) groups.push({ sectionId: s.id, title: s.title, items });
  }
  for (const [key, message] of Object.entries(fields)) {
    if (seen.has(key)) continue;
    const [sectionId = '', field = ''] = key.split('.');
    const section = def.sections.find((s) => s.id === sectionId);
    const group = groups.find((g) => g.sectionId === sectionId);
    if (group) group.items.push({ field, message });
    else groups.push({ sectionId, title: section?.title ?? sectionId, items: [{ field, message }] });
  }
  return groups;
}

/**
 * What a submission still lacks (preview, and 提交申报书 answered APPLICATION_INCOMPLETE): each entry links
 * to its section with the field focused.
 */
export function MissingList({
  def,
  fields,
  onJump,
  title,
}: {
  def: ApplicationTypeDef;
  fields: Record<string, string>;
  onJump?: (sectionId: string, field?: string) => void;
  title?: ReactNode;
}) {
  const groups = groupsOf(def, fields);
  const count = Object.keys(fields).length;
  if (count === 0) return null;
  const link = (sectionId: string, field: string | undefined, text: string) =>
    onJump ? (
      <a
        href={`#${field ? `${sectionId}.${field}` : sectionId}`}
        onClick={(e) => {
          e.preventDefault();
          onJump(sectionId, field);
        }}
      >
        {text}
      </a>
    ) : (
      text
    );
  return (
    <Alert
      className="cpe-app-missing"
      type="warning"
      showIcon
      data-testid="missing-list"
      title={title ?? `申报书还有${count}项未填写或填写有误，请补充后再提交`}
      description={
        <dl className="cpe-app-missing-list">
          {groups.map((g) => (
            <div key={g.sectionId} className="cpe-app-missing-group">
              <dt>{link(g.sectionId, undefined, g.title)}</dt>
              <dd>
                <ul>
                  {g.items.map((i) => (
                    <li key={i.field}>{link(g.sectionId, i.field, i.message)}</li>
                  ))}
                </ul>
              </dd>
            </div>
          ))}
        </dl>
      }
    />
  );
}
