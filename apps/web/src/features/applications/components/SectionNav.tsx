import { CheckCircleFilled } from '@ant-design/icons';
import type { SectionDef } from '@cpe/shared/applications/index';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import '../applications.css';

/**
 * The sections of the 申报书: a column beside the form, or on a phone a row that scrolls sideways with
 * the current one kept in view. 改 marks the sections the latest 退回修改 commented on; a tick marks
 * those with nothing missing. Items are links, so leaving a section with unsaved changes is caught by
 * the page's leave guard like any other link.
 */
export function SectionNav({
  sections,
  current,
  hrefOf,
  commented,
  missing,
  compact,
}: {
  sections: readonly SectionDef[];
  current: string;
  hrefOf: (sectionId: string) => string;
  commented: readonly string[];
  /** `section.field` → message, as in the detail. */
  missing: Record<string, string>;
  compact: boolean;
}) {
  const listRef = useRef<HTMLOListElement>(null);
  useEffect(() => {
    const list = listRef.current;
    const active = list?.querySelector<HTMLElement>(`[data-section="${current}"]`);
    // Sideways only: scrollIntoView would also move the page to the nav.
    if (compact && list && active) list.scrollLeft = active.offsetLeft - (list.clientWidth - active.offsetWidth) / 2;
  }, [compact, current]);

  const missingIn = (id: string) => Object.keys(missing).filter((k) => k.startsWith(`${id}.`)).length;

  return (
    <nav className={compact ? 'cpe-app-nav is-compact' : 'cpe-app-nav'} aria-label="填报项">
      <ol ref={listRef}>
        {sections.map((s, i) => {
          const active = s.id === current;
          const gaps = missingIn(s.id);
          const changed = commented.includes(s.id);
          return (
            <li key={s.id} data-section={s.id}>
              <Link
                to={hrefOf(s.id)}
                className={active ? 'cpe-app-nav-item is-active' : 'cpe-app-nav-item'}
                aria-current={active ? 'step' : undefined}
                title={gaps ? `${s.title}：${gaps}项未填写或填写有误` : s.title}
              >
                <span className="cpe-app-nav-index">{i + 1}</span>
                <span className="cpe-app-nav-title">{s.title}</span>
                {changed && (
                  <span className="cpe-app-nav-mark" title="有修改意见">
                    改
                  </span>
                )}
                {!changed && gaps === 0 && <CheckCircleFilled className="cpe-app-nav-done" aria-label="已填写" />}
              </Link>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
