// hyparquet's page-level functions (its package exports `./src/*.js`), typed by its own
// declarations: the Parquet reader decodes page by page (core/readers/parquet.ts).
declare module 'hyparquet/src/column.js' {
  export * from 'hyparquet/types/column';
}
declare module 'hyparquet/src/datapage.js' {
  export * from 'hyparquet/types/datapage';
}
declare module 'hyparquet/src/plain.js' {
  export * from 'hyparquet/types/plain';
}
declare module 'hyparquet/src/metadata.js' {
  export * from 'hyparquet/types/metadata';
}
declare module 'hyparquet/src/schema.js' {
  export * from 'hyparquet/types/schema';
}
declare module 'hyparquet/src/encoding.js' {
  export * from 'hyparquet/types/encoding';
}
declare module 'hyparquet/src/snappy.js' {
  export * from 'hyparquet/types/snappy';
}
