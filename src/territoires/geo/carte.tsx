import { frame } from '../../platform/ui/map-model.ts';
import { bboxOf, METRES_PAR_DEGRE } from './geometry.ts';
import { metres } from './model.ts';
import type { ZoneIndex } from './index.ts';
import type { AreaGeometry, Localisation, Zone } from './types.ts';

// The small map beside an answer: a square window centred on the point, drawn on the server (the
// projection and path code of platform/ui/map-model.ts), with the QPV and arrondissement edges that
// cross it. The window shrinks near a boundary — an "incertain" answer shows the few metres that
// matter — and widens far from any QPV, so that the nearest one shows.

const TAILLE = 360;
const QPV_FILL = '#b3d8e0';
const QPV_STROKE = '#0b5566';
const ARR_STROKE = '#6b7780';
const POINT = '#b34700';

function fenetre(lon: number, lat: number, rayonMetres: number): AreaGeometry {
  const dLat = rayonMetres / METRES_PAR_DEGRE;
  const dLon = rayonMetres / (METRES_PAR_DEGRE * Math.cos((lat * Math.PI) / 180));
  return {
    type: 'Polygon',
    coordinates: [
      [
        [lon - dLon, lat - dLat],
        [lon - dLon, lat + dLat],
        [lon + dLon, lat + dLat],
        [lon + dLon, lat - dLat],
        [lon - dLon, lat - dLat],
      ],
    ],
  };
}

function croise(zone: Zone, w: [number, number, number, number]): boolean {
  const [x0, y0, x1, y1] = bboxOf(zone.geometry);
  return x0 <= w[2] && x1 >= w[0] && y0 <= w[3] && y1 >= w[1];
}

export type CarteProps = { id: string; localisation: Localisation; index: ZoneIndex };

/** The window's half side: a little more than the distance to the nearest QPV edge, within 100 m – 2.5 km. */
export function rayonCarte(distanceBordMetres: number | null): number {
  if (distanceBordMetres === null) return 1000;
  return Math.round(Math.min(2500, Math.max(100, distanceBordMetres * 1.4 + 60)));
}

export function CarteLocalisation(props: CarteProps) {
  const { localisation: l, index } = props;
  const { lon, lat } = l.point;
  const proche = index.qpvLePlusProche(lon, lat);
  const rayon = rayonCarte(proche?.distanceMetres ?? null);
  const geo = fenetre(lon, lat, rayon);
  const w = bboxOf(geo);
  const view = frame([geo], TAILLE, TAILLE, 0);
  const qpv = props.index.zones.filter((z) => z.type === 'qpv' && croise(z, w));
  const arrondissements = props.index.zones.filter((z) => z.type === 'arrondissement' && croise(z, w));
  const xy = view.project([lon, lat]);
  const titre = `Carte de la position${proche ? ` et du quartier prioritaire ${proche.zone.nom}` : ''}`;
  const cote = metres(2 * rayon);
  const texte = proche
    ? `Carte centrée sur la position retenue, ${cote} de côté. La position est ${proche.dedans ? 'à l’intérieur du' : 'à l’extérieur du'} quartier prioritaire ${proche.zone.nom}, à ${metres(proche.distanceMetres)} de sa limite.`
    : `Carte centrée sur la position retenue, ${cote} de côté.`;
  const legende = [
    { key: 'qpv', label: 'Quartier prioritaire (contour officiel)' },
    { key: 'arr', label: 'Limite d’arrondissement' },
    { key: 'point', label: 'Position de l’adresse' },
  ];
  const hauteur = TAILLE + legende.length * 22 + 12;
  return (
    <figure class="carte carte-localisation">
      <svg
        xmlns="http://www.w3.org/2000/svg"
        viewBox={`0 0 ${TAILLE} ${hauteur}`}
        width={TAILLE}
        height={hauteur}
        role="img"
        aria-labelledby={`${props.id}-titre`}
        aria-describedby={`${props.id}-desc`}
        font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"
      >
        <title id={`${props.id}-titre`}>{titre}</title>
        <desc id={`${props.id}-desc`}>{texte}</desc>
        <defs>
          <clipPath id={`${props.id}-cadre`}>
            <rect width={TAILLE} height={TAILLE} />
          </clipPath>
          <pattern id={`${props.id}-motif`} width="8" height="8" patternUnits="userSpaceOnUse">
            <rect width="8" height="8" fill={QPV_FILL} />
            <circle cx="4" cy="4" r="0.9" fill={QPV_STROKE} />
          </pattern>
        </defs>
        <rect width={TAILLE} height={TAILLE} fill="#ffffff" stroke="#c5ced3" />
        <g clip-path={`url(#${props.id}-cadre)`}>
          {qpv.map((z) => (
            <path d={view.path(z.geometry).d} data-code={z.code} fill={`url(#${props.id}-motif)`} stroke={QPV_STROKE} stroke-width="2" stroke-linejoin="round">
              <title>{`${z.nom} (${z.code})`}</title>
            </path>
          ))}
          {arrondissements.map((z) => (
            <path d={view.path(z.geometry).d} data-code={z.code} fill="none" stroke={ARR_STROKE} stroke-width="1" stroke-dasharray="4 3" />
          ))}
          {xy && (
            <g data-couche="point">
              <circle cx={xy[0]} cy={xy[1]} r="7" fill={POINT} stroke="#ffffff" stroke-width="2" />
              <title>Position de l’adresse</title>
            </g>
          )}
        </g>
        <g transform={`translate(8 ${TAILLE + 10})`} font-size="13" fill="#1b1f23">
          {legende.map((e, i) => (
            <g transform={`translate(0 ${i * 22})`}>
              {e.key === 'qpv' && <rect width="16" height="16" fill={`url(#${props.id}-motif)`} stroke={QPV_STROKE} stroke-width="2" />}
              {e.key === 'arr' && <line x1="0" y1="8" x2="16" y2="8" stroke={ARR_STROKE} stroke-dasharray="4 3" />}
              {e.key === 'point' && <circle cx="8" cy="8" r="6" fill={POINT} stroke="#ffffff" stroke-width="2" />}
              <text x="24" y="13">
                {e.label}
              </text>
            </g>
          ))}
        </g>
      </svg>
      <figcaption>{texte}</figcaption>
    </figure>
  );
}
