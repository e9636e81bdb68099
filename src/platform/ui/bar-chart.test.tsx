import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { tags } from '../../../test/html.ts';
import { BarChart } from './bar-chart.tsx';

describe('server-side bar chart', () => {
  const svg = renderToString(
    <BarChart
      id="b"
      title="Population par quartier"
      description="Trois quartiers."
      bars={[
        { label: 'Grand Belleville', value: 30210, text: '30 210' },
        { label: 'Goutte d’Or', value: 12970, text: '12 970' },
        { label: 'Sans chiffre', value: null, text: 'non renseigné' },
      ]}
      reference={{ value: 15105, label: 'Moitié : 15 105' }}
    />,
  );
  const rects = tags(svg).filter((t) => t.name === 'rect' && !t.closing).slice(1);

  it('is an image named by its title, each bar with its value written beside it', () => {
    const root = tags(svg)[0]!;
    expect(root.attrs.role).toBe('img');
    expect(svg).toContain('<title id="b-titre">Population par quartier</title>');
    expect(svg).toContain('<desc id="b-desc">Trois quartiers.</desc>');
    for (const text of ['30 210', '12 970', 'non renseigné', 'Grand Belleville']) expect(svg).toContain(`>${text}</text>`);
  });

  it('draws bars in proportion, the largest across the plot, a missing value as a dashed box', () => {
    const [big, small, missing] = rects.map((r) => r.attrs);
    expect(Number(big!.width)).toBe(640 - 8 - 120);
    expect(Number(small!.width)).toBeCloseTo((512 * 12970) / 30210, 0);
    expect(missing!['stroke-dasharray']).toBe('2 2');
  });

  it('draws the reference as a dashed line with its label', () => {
    const line = tags(svg).find((t) => t.name === 'line')!;
    expect(Number(line.attrs.x1)).toBeCloseTo(8 + 256, 0);
    expect(line.attrs['stroke-dasharray']).toBe('6 4');
    expect(svg).toContain('>Moitié : 15 105</text>');
  });
});
