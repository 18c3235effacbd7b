// A table that reads on a wide screen and, through the .stack styles, on a narrow one: every cell carries
// its column's name for the narrow layout.

import { h } from './dom.js';

export function dataTable(columns, rows, rowProps = () => ({})) {
  return h('table', { class: 'data stack' },
    h('thead', {}, h('tr', {}, columns.map((column) => h('th', { scope: 'col', text: column.label })))),
    h('tbody', {}, rows.map((row) => h('tr', rowProps(row),
      columns.map((column) => {
        const value = column.cell(row);
        return h('td', { 'data-label': column.label, class: column.class }, value ?? '—');
      })))));
}
