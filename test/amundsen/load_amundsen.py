"""Loads Amundsen's sample data into a Neo4j with amundsen-databuilder's own pipeline.

Usage: python load_amundsen.py <bolt url> <sample data dir> <work dir>

The jobs of databuilder's example/scripts/sample_data_loader.py (less Elasticsearch): CsvExtractor and friends ->
FsNeo4jCSVLoader -> Neo4jCsvPublisher. Databuilder 7.5.1, its last release, creates its uniqueness constraints in
Neo4j 4 syntax, which Neo4j 5 refuses; the publisher below says the same in Neo4j 5 syntax and is otherwise databuilder's.
"""
import logging
import os
import sys

from neo4j.exceptions import Neo4jError
from pyhocon import ConfigFactory

from databuilder.extractor.csv_extractor import (
    CsvColumnLineageExtractor, CsvExtractor, CsvTableBadgeExtractor, CsvTableColumnExtractor, CsvTableLineageExtractor,
)
from databuilder.job.job import DefaultJob
from databuilder.loader.file_system_neo4j_csv_loader import FsNeo4jCSVLoader
from databuilder.publisher.neo4j_csv_publisher import Neo4jCsvPublisher
from databuilder.task.task import DefaultTask
from databuilder.transformer.base_transformer import ChainedTransformer, NoopTransformer
from databuilder.transformer.dict_to_model import MODEL_CLASS, DictToModel
from databuilder.transformer.generic_transformer import CALLBACK_FUNCTION, FIELD_NAME, GenericTransformer


class Neo4j5CsvPublisher(Neo4jCsvPublisher):
    """Neo4jCsvPublisher with its uniqueness constraints in Neo4j 5 syntax."""

    def _try_create_index(self, label: str) -> None:
        stmt = f"CREATE CONSTRAINT IF NOT EXISTS FOR (node:`{label}`) REQUIRE node.key IS UNIQUE"
        with self._driver.session(database=self._db_name) as session:
            try:
                session.run(stmt).consume()
            except Neo4jError as e:
                if "equivalent" not in str(e).lower():
                    raise


def main() -> None:
    endpoint, data, work = sys.argv[1], sys.argv[2], sys.argv[3]
    logging.basicConfig(level=logging.WARNING)

    def publish(name, task, extra):
        nodes, rels = os.path.join(work, name, "nodes"), os.path.join(work, name, "relationships")
        conf = {
            "loader.filesystem_csv_neo4j.node_dir_path": nodes,
            "loader.filesystem_csv_neo4j.relationship_dir_path": rels,
            "loader.filesystem_csv_neo4j.delete_created_directories": True,
            "publisher.neo4j.node_files_directory": nodes,
            "publisher.neo4j.relation_files_directory": rels,
            "publisher.neo4j.neo4j_endpoint": endpoint,
            "publisher.neo4j.neo4j_user": "neo4j",
            "publisher.neo4j.neo4j_password": "unused-auth-is-off",
            "publisher.neo4j.neo4j_encrypted": False,
            "publisher.neo4j.job_publish_tag": "nansen_test",
            **extra,
        }
        DefaultJob(conf=ConfigFactory.from_dict(conf), task=task, publisher=Neo4j5CsvPublisher()).launch()
        print(f"published {name}", flush=True)

    f = lambda n: os.path.join(data, n)  # noqa: E731
    publish("table_column", DefaultTask(CsvTableColumnExtractor(), loader=FsNeo4jCSVLoader(), transformer=NoopTransformer()),
            {"extractor.csvtablecolumn.table_file_location": f("sample_table.csv"), "extractor.csvtablecolumn.column_file_location": f("sample_col.csv")})
    publish("table_badge", DefaultTask(CsvTableBadgeExtractor(), loader=FsNeo4jCSVLoader(), transformer=NoopTransformer()),
            {"extractor.csvtablebadge.table_file_location": f("sample_table.csv"), "extractor.csvtablebadge.badge_file_location": f("sample_badges.csv")})
    publish("table_lineage", DefaultTask(CsvTableLineageExtractor(), loader=FsNeo4jCSVLoader(), transformer=NoopTransformer()),
            {"extractor.csvtablelineage.table_lineage_file_location": f("sample_table_lineage.csv")})
    publish("column_lineage", DefaultTask(CsvColumnLineageExtractor(), loader=FsNeo4jCSVLoader(), transformer=NoopTransformer()),
            {"extractor.csvcolumnlineage.column_lineage_file_location": f("sample_column_lineage.csv")})
    for csv, model in [
        ("sample_table_column_stats.csv", "databuilder.models.table_stats.TableColumnStats"),
        ("sample_table_programmatic_source.csv", "databuilder.models.table_metadata.TableMetadata"),
        ("sample_watermark.csv", "databuilder.models.watermark.Watermark"),
        ("sample_table_owner.csv", "databuilder.models.table_owner.TableOwner"),
        ("sample_column_usage.csv", "databuilder.models.table_column_usage.ColumnReader"),
        ("sample_user.csv", "databuilder.models.user.User"),
        ("sample_application.csv", "databuilder.models.application.Application"),
        ("sample_table_report.csv", "databuilder.models.report.ResourceReport"),
        ("sample_source.csv", "databuilder.models.table_source.TableSource"),
        ("sample_tags.csv", "databuilder.models.table_metadata.TagMetadata"),
        ("sample_table_last_updated.csv", "databuilder.models.table_last_updated.TableLastUpdated"),
        ("sample_schema_description.csv", "databuilder.models.schema.schema.SchemaModel"),
        ("sample_dashboard_base.csv", "databuilder.models.dashboard.dashboard_metadata.DashboardMetadata"),
        ("sample_dashboard_usage.csv", "databuilder.models.dashboard.dashboard_usage.DashboardUsage"),
        ("sample_dashboard_owner.csv", "databuilder.models.dashboard.dashboard_owner.DashboardOwner"),
        ("sample_dashboard_query.csv", "databuilder.models.dashboard.dashboard_query.DashboardQuery"),
        ("sample_dashboard_last_execution.csv", "databuilder.models.dashboard.dashboard_execution.DashboardExecution"),
        ("sample_dashboard_last_modified.csv", "databuilder.models.dashboard.dashboard_last_modified.DashboardLastModifiedTimestamp"),
    ]:
        publish(csv[:-4], DefaultTask(CsvExtractor(), loader=FsNeo4jCSVLoader(), transformer=NoopTransformer()),
                {"extractor.csv.file_location": f(csv), "extractor.csv.model_class": model})
    generic, to_model = GenericTransformer(), DictToModel()
    chained = ChainedTransformer(transformers=[generic, to_model], is_init_transformers=True)
    publish("dashboard_table", DefaultTask(extractor=CsvExtractor(), loader=FsNeo4jCSVLoader(), transformer=chained), {
        "extractor.csv.file_location": f("sample_dashboard_table.csv"),
        f"{chained.get_scope()}.{generic.get_scope()}.{FIELD_NAME}": "table_ids",
        f"{chained.get_scope()}.{generic.get_scope()}.{CALLBACK_FUNCTION}": lambda v: v.split(","),
        f"{chained.get_scope()}.{to_model.get_scope()}.{MODEL_CLASS}": "databuilder.models.dashboard.dashboard_table.DashboardTable",
    })


if __name__ == "__main__":
    main()
