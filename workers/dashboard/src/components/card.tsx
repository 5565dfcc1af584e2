import { type ReactNode, useId } from "react";

/** A titled panel; the title labels the region for screen readers. */
export function Card({
  title,
  children,
  className,
}: {
  title: string;
  children: ReactNode;
  className?: string;
}) {
  const headingId = useId();
  return (
    <section className={className ? `card ${className}` : "card"} aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {children}
    </section>
  );
}
