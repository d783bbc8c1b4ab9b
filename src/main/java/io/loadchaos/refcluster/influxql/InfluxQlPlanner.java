package io.loadchaos.refcluster.influxql;

import io.loadchaos.refcluster.catalog.CatalogService;
import io.loadchaos.refcluster.catalog.TableSnapshot;
import io.loadchaos.refcluster.influxql.SqlTranslator.Translation;
import java.util.Map;

/** Translates InfluxQL SELECTs to SQL against the measurement schemas of a node's catalog. */
public final class InfluxQlPlanner {
  private final CatalogService catalog;

  public InfluxQlPlanner(CatalogService catalog) {
    this.catalog = catalog;
  }

  public Translation plan(String db, Statement.Select select) {
    TableSnapshot t = catalog.catalog().table(db, select.measurement());
    return SqlTranslator.translate(select, t == null ? null : MeasurementSchema.of(t));
  }

  /** For the InfluxDB 3 APIs (query_influxql, Flight), which answer rows: the statement must be a SELECT. */
  public Translation planSelect(String db, String query, Map<String, ?> params) {
    Statement s = Parser.parse(query, params);
    if (!(s instanceof Statement.Select select)) {
      throw new InfluxQlException((s instanceof Statement.ShowDatabases ? "SHOW DATABASES" : "CREATE DATABASE")
          + " is served by the InfluxDB 1.x API (/query); here only SELECT");
    }
    return plan(db, select);
  }
}
