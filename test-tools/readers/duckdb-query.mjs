// Runs each SQL statement given as an argument in an in-memory DuckDB and
// prints, per statement, one JSON line: {"columns": [[name, type], ...],
// "rows": [{...}, ...]} with DuckDB's JSON rendering of the values
// (timestamps as ISO strings, big integers as strings). Used by parc's Go
// tests to read Parquet exports back with an independent reader.
import { DuckDBInstance } from '@duckdb/node-api';

const instance = await DuckDBInstance.create(':memory:');
const conn = await instance.connect();
for (const sql of process.argv.slice(2)) {
  const reader = await conn.runAndReadAll(sql);
  const names = reader.columnNames();
  const types = reader.columnTypes().map((t) => t.toString());
  console.log(JSON.stringify({
    columns: names.map((n, i) => [n, types[i]]),
    rows: reader.getRowObjectsJson(),
  }));
}
