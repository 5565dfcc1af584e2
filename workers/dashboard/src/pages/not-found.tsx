import { Link } from "../components/link.tsx";
import { useDocumentTitle } from "./title.ts";

export function NotFoundPage() {
  useDocumentTitle("Not found");
  return (
    <div className="page">
      <h1 tabIndex={-1}>Page not found</h1>
      <p>There is nothing at this address.</p>
      <Link className="button" href="/">
        Go to your companies
      </Link>
    </div>
  );
}
