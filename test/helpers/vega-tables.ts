// Metadata of the vega-datasets tables the tests read, in one place.
import path from 'node:path';
import type { TableMetadata } from '../../src/schema/metadata.ts';
import { REPO_ROOT } from './cli.ts';

/** node_modules/vega-datasets/data */
export const VEGA_DATA_DIR = path.join(REPO_ROOT, 'node_modules/vega-datasets/data');

/** seattle-weather.csv: 1,461 days, a date, four numbers and a category. */
export const WEATHER_METADATA: TableMetadata = {
  columns: [
    { name: 'date', type: 'datetime', format: '%Y-%m-%d' },
    { name: 'precipitation', type: 'continuous' },
    { name: 'temp_max', type: 'continuous' },
    { name: 'temp_min', type: 'continuous' },
    { name: 'wind', type: 'continuous' },
    { name: 'weather', type: 'categorical' },
  ],
};

/** penguins.json: 344 penguins with nulls in the measurements and in Sex. */
export const PENGUINS_METADATA: TableMetadata = {
  columns: [
    { name: 'Species', type: 'categorical' },
    { name: 'Island', type: 'categorical' },
    { name: 'Beak Length (mm)', type: 'continuous' },
    { name: 'Beak Depth (mm)', type: 'continuous' },
    { name: 'Flipper Length (mm)', type: 'continuous' },
    { name: 'Body Mass (g)', type: 'continuous' },
    { name: 'Sex', type: 'categorical' },
  ],
};
