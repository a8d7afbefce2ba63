/** The platform mark: a shield with a tick, drawn inline (no external images under the CSP). */
export function Emblem({ size = 30 }: { size?: number }) {
  return (
    <svg className="cpe-emblem" width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <circle cx="16" cy="16" r="15" fill="#fff" />
      <path d="M16 5.5l8.5 3.6v5.6c0 5.6-3.7 9.6-8.5 11.6-4.8-2-8.5-6-8.5-11.6V9.1z" fill="#1a5fb4" />
      <path
        d="M12 15.8l2.9 2.9 5.4-5.6"
        fill="none"
        stroke="#fff"
        strokeWidth="2.2"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
