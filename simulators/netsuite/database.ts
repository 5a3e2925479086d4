/**
 * The SuiteQL database: SQLite in WebAssembly (sql.js). Every record write is mirrored here synchronously in the
 * same call, so a SuiteQL query always sees the latest write. Tables and columns are lower-case, as SuiteQL shows them.
 */
import initSqlJs from 'sql.js';
import type { Database, SqlJsStatic, SqlValue, Statement } from 'sql.js';

let sqlJs: Promise<SqlJsStatic> | undefined;

/** Loads the sql.js WebAssembly module once (from node_modules/sql.js/dist). */
export function loadSqlJs(): Promise<SqlJsStatic> {
  return (sqlJs ??= initSqlJs());
}

const SCHEMA = `
CREATE TABLE subsidiary (id INTEGER PRIMARY KEY, name TEXT, isinactive TEXT DEFAULT 'F');
CREATE TABLE location (id INTEGER PRIMARY KEY, name TEXT, isinactive TEXT DEFAULT 'F', subsidiary INTEGER);
CREATE TABLE customer (
  id INTEGER PRIMARY KEY, entityid TEXT, email TEXT, externalid TEXT, datecreated TEXT, lastmodifieddate TEXT,
  companyname TEXT, firstname TEXT, lastname TEXT, isperson TEXT, isinactive TEXT, phone TEXT, subsidiary INTEGER);
CREATE INDEX customer_email ON customer (email);
CREATE INDEX customer_externalid ON customer (externalid);
CREATE TABLE "transaction" (
  id INTEGER PRIMARY KEY, tranid TEXT, type TEXT, externalid TEXT, status TEXT, foreigntotal REAL, entity INTEGER,
  trandate TEXT, createddate TEXT, lastmodifieddate TEXT, location INTEGER, subsidiary INTEGER, memo TEXT,
  otherrefnum TEXT, shipmethod INTEGER, shippingcost REAL, email TEXT, shipstatus TEXT, trackingnumbers TEXT);
CREATE INDEX transaction_externalid ON "transaction" (externalid);
CREATE INDEX transaction_entity ON "transaction" (entity);
CREATE INDEX transaction_tranid ON "transaction" (tranid);
CREATE TABLE transactionline (
  "transaction" INTEGER NOT NULL, linesequencenumber INTEGER NOT NULL, id INTEGER, item INTEGER, quantity REAL, rate REAL,
  foreignamount REAL, location INTEGER, memo TEXT, mainline TEXT DEFAULT 'F', taxline TEXT DEFAULT 'F',
  isclosed TEXT DEFAULT 'F', quantitycommitted REAL, quantitybackordered REAL, quantityshiprecv REAL, quantitybilled REAL,
  createdfrom INTEGER,
  PRIMARY KEY ("transaction", linesequencenumber));
CREATE INDEX transactionline_item ON transactionline (item);
CREATE INDEX transactionline_createdfrom ON transactionline (createdfrom);
CREATE TABLE previoustransactionlinelink (
  previousdoc INTEGER NOT NULL, previousline INTEGER NOT NULL, previoustype TEXT, nextdoc INTEGER NOT NULL,
  nextline INTEGER NOT NULL, nexttype TEXT, foreignamount REAL, quantity REAL,
  PRIMARY KEY (nextdoc, nextline));
CREATE INDEX previoustransactionlinelink_previousdoc ON previoustransactionlinelink (previousdoc);
CREATE TABLE itemfulfillmentpackage (
  itemfulfillment INTEGER NOT NULL, id INTEGER NOT NULL, packagetrackingnumber TEXT, packagedescr TEXT, packageweight REAL,
  PRIMARY KEY (itemfulfillment, id));
CREATE TABLE deletedrecord (recordid INTEGER NOT NULL, type TEXT NOT NULL, name TEXT, deleteddate TEXT NOT NULL, context TEXT);
CREATE INDEX deletedrecord_deleteddate ON deletedrecord (deleteddate);
CREATE TABLE item (
  id INTEGER PRIMARY KEY, itemid TEXT, displayname TEXT, externalid TEXT, isinactive TEXT, itemtype TEXT,
  description TEXT, baseprice REAL, averagecost REAL, createddate TEXT, lastmodifieddate TEXT);
CREATE INDEX item_itemid ON item (itemid);
CREATE INDEX item_externalid ON item (externalid);
CREATE TABLE shipitem (id INTEGER PRIMARY KEY, itemid TEXT, displayname TEXT, externalid TEXT, isinactive TEXT, description TEXT);
CREATE TABLE inventoryitemlocations (
  item INTEGER NOT NULL, location INTEGER NOT NULL, quantityonhand REAL, quantityavailable REAL, quantitycommitted REAL,
  quantityonorder REAL, quantitybackordered REAL, averagecostmli REAL, onhandvaluemli REAL,
  PRIMARY KEY (item, location));
CREATE INDEX inventoryitemlocations_location ON inventoryitemlocations (location);
CREATE VIEW aggregateitemlocation AS
  SELECT item, location, quantityavailable, quantityonhand, quantitycommitted, quantityonorder, quantitybackordered,
         averagecostmli AS averagecost, onhandvaluemli AS onhandvalue
  FROM inventoryitemlocations;
`;

/** The SQLite database plus a cache of prepared write statements and a data version (bumped on every write). */
export class SuiteQlDatabase {
  private readonly statements = new Map<string, Statement>();
  /** Incremented by every write; lets SuiteQL cache a query's total row count until the data changes. */
  version = 0;

  private constructor(readonly db: Database) {}

  static async create(): Promise<SuiteQlDatabase> {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    db.exec(SCHEMA);
    return new SuiteQlDatabase(db);
  }

  /** Runs a write statement (prepared once and cached by its text). */
  write(sql: string, params: SqlValue[]): void {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    statement.run(params);
    this.version++;
  }

  /** Inserts or replaces one row; `row` keys are column names. */
  upsertRow(table: string, row: Record<string, SqlValue>): void {
    const columns = Object.keys(row);
    const sql = `INSERT OR REPLACE INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
    this.write(
      sql,
      columns.map((c) => row[c] ?? null),
    );
  }

  /** Runs a schema change: cached statements are dropped because column lists may have changed. */
  alter(sql: string): void {
    for (const statement of this.statements.values()) statement.free();
    this.statements.clear();
    this.db.exec(sql);
    this.version++;
  }

  /** Runs `fn` inside one SQLite transaction (much faster for bulk loads). */
  batch<T>(fn: () => T): T {
    this.db.exec('BEGIN');
    try {
      const result = fn();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  close(): void {
    for (const statement of this.statements.values()) statement.free();
    this.statements.clear();
    this.db.close();
  }
}
