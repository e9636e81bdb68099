// The breadcrumb every page below the home page shows: home first, then down to the page itself,
// which is the last crumb and not a link.

export type Miette = { label: string; href?: string };

export function FilAriane(props: { miettes: Miette[] }) {
  const tout: Miette[] = [{ label: 'Accueil', href: '/' }, ...props.miettes];
  return (
    <nav aria-label="Fil d’Ariane" class="fil-ariane">
      <ol>
        {tout.map((m, i) => (
          <li>
            {m.href && i < tout.length - 1 ? <a href={m.href}>{m.label}</a> : <span aria-current="page">{m.label}</span>}
          </li>
        ))}
      </ol>
    </nav>
  );
}
