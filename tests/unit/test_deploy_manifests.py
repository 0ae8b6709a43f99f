"""The deployment manifests are valid before they reach a cluster: checked offline against vendored schemas.

Kubernetes built-in kinds: `kubernetes-validate` (the upstream OpenAPI-derived JSON schemas, strict, so an
unknown or misspelt field fails). Operator kinds (RabbitMQ, MongoDB): structural checks of what the
operators require. The compose file: the compose-spec schema that `check-jsonschema` vendors. Grafana
dashboards: JSON that only references provisioned datasources and metrics the services export.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import kubernetes_validate  # type: ignore[import-untyped]
import pytest
import yaml

from shared.metrics import PlatformMetrics
from shared.settings import ServiceSettings

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
COMPOSE = ROOT / "deploy" / "compose" / "docker-compose.yml"
OBSERVABILITY = ROOT / "deploy" / "observability"
DASHBOARDS = sorted((OBSERVABILITY / "grafana" / "dashboards").glob("*.json"))
SERVICES = {"catalog": 8081, "escrow": 8082, "logistics": 8083, "disputes": 8084}
# What is deployed: the services and the operators' console (no database or broker of its own).
DEPLOYED = {**SERVICES, "console": 8080}
KUBERNETES_VERSION = "1.33.0"
# Operator kinds and the spec keys their operators need to act at all.
CRD_REQUIRED_SPEC: dict[tuple[str, str], set[str]] = {
    ("rabbitmq.com/v1beta1", "RabbitmqCluster"): {"replicas"},
    ("rabbitmq.com/v1beta1", "Vhost"): {"name", "rabbitmqClusterReference"},
    ("rabbitmq.com/v1beta1", "User"): {"rabbitmqClusterReference", "importCredentialsSecret"},
    ("rabbitmq.com/v1beta1", "Permission"): {
        "vhost",
        "userReference",
        "permissions",
        "rabbitmqClusterReference",
    },
    ("gateway.envoyproxy.io/v1alpha1", "BackendTrafficPolicy"): {"targetSelectors", "rateLimit"},
    ("mongodbcommunity.mongodb.com/v1", "MongoDBCommunity"): {
        "members",
        "type",
        "version",
        "security",
        "users",
    },
}

Manifest = dict[str, Any]


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def k8s_manifests() -> Iterator[tuple[str, Manifest]]:
    for path in sorted(K8S.rglob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if document:
                yield f"{path.relative_to(K8S)}:{document['kind']}/{document['metadata']['name']}", document


MANIFESTS = dict(k8s_manifests())
KUSTOMIZATION: Manifest = load_yaml(K8S / "kustomization.yaml")


def is_built_in(manifest: Manifest) -> bool:
    return (manifest["apiVersion"], manifest["kind"]) not in CRD_REQUIRED_SPEC


def of_kind(kind: str) -> dict[str, Manifest]:
    return {m["metadata"]["name"]: m for m in MANIFESTS.values() if m["kind"] == kind}


# --- Kubernetes ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [name for name, m in MANIFESTS.items() if is_built_in(m)])
def test_built_in_kinds_match_the_kubernetes_schema(name: str) -> None:
    kubernetes_validate.validate(MANIFESTS[name], KUBERNETES_VERSION, strict=True)


@pytest.mark.parametrize("name", [name for name, m in MANIFESTS.items() if not is_built_in(m)])
def test_operator_kinds_have_what_their_operator_requires(name: str) -> None:
    manifest = MANIFESTS[name]
    required = CRD_REQUIRED_SPEC[(manifest["apiVersion"], manifest["kind"])]

    assert re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?", manifest["metadata"]["name"])
    assert required <= set(manifest["spec"]), f"missing {required - set(manifest['spec'])}"


def test_kustomization_lists_every_manifest_file_and_only_existing_ones() -> None:
    listed = {K8S / resource for resource in KUSTOMIZATION["resources"]}
    on_disk = {path for path in K8S.rglob("*.yaml") if path.name != "kustomization.yaml"}

    assert listed == on_disk


def test_the_gateway_limits_each_token_across_replicas_and_each_client_address() -> None:
    [policy] = of_kind("BackendTrafficPolicy").values()
    [target] = policy["spec"]["targetSelectors"]
    limits = policy["spec"]["rateLimit"]
    per_minute = {
        next(iter(rule["clientSelectors"][0])): rule["limit"]["requests"]
        * {"Second": 60, "Minute": 1}[rule["limit"]["unit"]]
        for rule in limits["global"]["rules"]
    }
    replica_per_minute = ServiceSettings().rate_limit_per_second * 60

    # Every Tradeguard route, counted across replicas: per token, at least what one replica admits and
    # less than what all of them would; per client address (tokens or not), more than per token.
    assert target["kind"] == "HTTPRoute"
    assert target["matchLabels"] == {"app.kubernetes.io/part-of": "tradeguard"}
    assert limits["type"] == "Global"
    assert replica_per_minute <= per_minute["headers"] < replica_per_minute * max_replicas()
    assert per_minute["sourceCIDR"] > per_minute["headers"]


def max_replicas() -> int:
    return max(int(hpa["spec"]["maxReplicas"]) for hpa in of_kind("HorizontalPodAutoscaler").values())


def test_every_service_has_deployment_service_autoscaler_and_disruption_budget() -> None:
    for kind in ("Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "ServiceAccount"):
        assert set(of_kind(kind)) >= set(DEPLOYED), kind


@pytest.mark.parametrize("service", DEPLOYED)
def test_deployments_probe_health_and_readiness_with_bounded_resources_as_non_root(service: str) -> None:
    pod = of_kind("Deployment")[service]["spec"]["template"]["spec"]
    (container,) = pod["containers"]

    assert container["command"] == ["python", "-m", f"services.{service}"]
    assert container["ports"][0]["containerPort"] == DEPLOYED[service]
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert {"cpu", "memory"} <= set(container["resources"]["requests"])
    assert "memory" in container["resources"]["limits"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert container["securityContext"]["allowPrivilegeEscalation"] is False


def test_the_broker_is_a_three_node_cluster_defaulting_to_quorum_queues() -> None:
    (cluster,) = of_kind("RabbitmqCluster").values()

    assert cluster["spec"]["replicas"] == 3
    assert "default_queue_type = quorum" in cluster["spec"]["rabbitmq"]["additionalConfig"]


def permissions_of(service: str) -> dict[str, re.Pattern[str]]:
    permission = next(
        p for p in of_kind("Permission").values() if p["spec"]["userReference"]["name"] == service
    )
    return {verb: re.compile(regex) for verb, regex in permission["spec"]["permissions"].items()}


@pytest.mark.parametrize("service", SERVICES)
def test_each_rabbitmq_user_configures_and_reads_only_its_own_names(service: str) -> None:
    permissions = permissions_of(service)
    own = [
        f"tradeguard.{service}.{name}" for name in ("events", "escrow-events", "wait.5000ms", "parking-lot")
    ]
    others = [f"tradeguard.{other}.parking-lot" for other in SERVICES if other != service]

    for verb in ("configure", "read", "write"):
        assert all(permissions[verb].match(name) for name in [*own, "tradeguard.unrouted"]), verb
        assert not any(permissions[verb].match(name) for name in others), verb
        assert not permissions[verb].match(f"tradeguard.{service}"), verb


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_cannot_publish_another_services_events(service: str) -> None:
    write = permissions_of(service)["write"]

    assert write.match("amq.default")  # parking a message publishes to the default exchange
    assert not any(write.match(f"tradeguard.{other}.events") for other in SERVICES if other != service)


def test_consumers_may_declare_and_bind_the_exchanges_they_consume() -> None:
    assert permissions_of("escrow")["read"].match("tradeguard.logistics.events")
    assert permissions_of("escrow")["configure"].match("tradeguard.disputes.events")
    assert not permissions_of("logistics")["read"].match("tradeguard.catalog.events")


def test_each_mongodb_user_may_only_read_and_write_its_own_database() -> None:
    (mongodb,) = of_kind("MongoDBCommunity").values()
    users = {user["name"]: user for user in mongodb["spec"]["users"]}

    assert set(users) == set(SERVICES)
    for name, user in users.items():
        assert user["roles"] == [{"name": "readWrite", "db": name}]
    assert mongodb["spec"]["type"] == "ReplicaSet"
    assert mongodb["spec"]["members"] >= 3


def generated(kind: str) -> dict[str, Manifest]:
    return {generator["name"]: generator for generator in KUSTOMIZATION.get(kind, [])}


def test_every_secret_referenced_is_generated_or_written_by_an_operator() -> None:
    (mongodb,) = of_kind("MongoDBCommunity").values()
    operator_written = {user["connectionStringSecretName"] for user in mongodb["spec"]["users"]}
    available = set(generated("secretGenerator")) | operator_written
    referenced = {user["spec"]["importCredentialsSecret"]["name"] for user in of_kind("User").values()}
    referenced |= {user["passwordSecretRef"]["name"] for user in mongodb["spec"]["users"]}
    for deployment in of_kind("Deployment").values():
        pod = deployment["spec"]["template"]["spec"]
        referenced |= {v["secret"]["secretName"] for v in pod.get("volumes", []) if "secret" in v}
        for container in pod["containers"]:
            refs = [
                e["valueFrom"]["secretKeyRef"]
                for e in container["env"]
                if "secretKeyRef" in e.get("valueFrom", {})
            ]
            referenced |= {ref["name"] for ref in refs}
            config_maps = {e["configMapRef"]["name"] for e in container.get("envFrom", [])}
            assert config_maps <= set(generated("configMapGenerator"))

    assert referenced <= available, referenced - available


def test_operator_referenced_secrets_keep_stable_names() -> None:
    # Kustomize rewrites hashed names only in built-in kinds; a User or MongoDBCommunity would miss them.
    referenced = {user["spec"]["importCredentialsSecret"]["name"] for user in of_kind("User").values()}
    (mongodb,) = of_kind("MongoDBCommunity").values()
    referenced |= {user["passwordSecretRef"]["name"] for user in mongodb["spec"]["users"]}

    for name in referenced:
        assert generated("secretGenerator")[name]["options"]["disableNameSuffixHash"] is True


def test_no_secret_is_committed_only_documented_examples() -> None:
    assert not of_kind("Secret")
    for generator in generated("secretGenerator").values():
        for source in [*generator.get("envs", []), *generator.get("files", [])]:
            path = K8S / source.split("=")[-1]
            assert path.with_name(path.name + ".example").is_file(), path
    ignored = (K8S / "secrets" / ".gitignore").read_text().split()
    assert ignored[-3:] == ["*", "!.gitignore", "!*.example"]


# --- Compose ---------------------------------------------------------------------------------------------


def test_the_compose_file_matches_the_compose_spec_schema() -> None:
    # The schema ships inside check-jsonschema (`vendor.compose-spec`): no network needed.
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec", str(COMPOSE)],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr


COMPOSE_FILE: Manifest = load_yaml(COMPOSE)


@pytest.mark.parametrize("service", SERVICES)
def test_compose_services_run_one_image_and_check_readiness(service: str) -> None:
    definition = COMPOSE_FILE["services"][service]

    assert definition["command"] == ["python", "-m", f"services.{service}"]
    assert definition["build"]["dockerfile"] == "deploy/compose/Dockerfile"
    assert f"127.0.0.1:{SERVICES[service]}/readyz" in " ".join(definition["healthcheck"]["test"])
    assert definition["depends_on"]["mongo"]["condition"] == "service_healthy"
    assert definition["env_file"]


def test_compose_console_waits_for_the_four_services_and_runs_behind_the_gateway() -> None:
    console = COMPOSE_FILE["services"]["console"]
    environment = console["environment"]

    assert console["command"] == ["python", "-m", "services.console"]
    assert "127.0.0.1:8080/readyz" in " ".join(console["healthcheck"]["test"])
    assert {name: dep["condition"] for name, dep in console["depends_on"].items()} == dict.fromkeys(
        SERVICES, "service_healthy"
    )
    assert environment["CONSOLE_SANDBOX"] == "false"
    assert set(json.loads(environment["CONSOLE_SERVICE_ENDPOINTS"])) == set(SERVICES)
    assert not any(name.endswith(("MONGO_URL", "AMQP_URL")) for name in environment)


def test_k8s_console_is_stateless_behind_the_gateway_with_its_session_secret_from_a_secret() -> None:
    (container,) = of_kind("Deployment")["console"]["spec"]["template"]["spec"]["containers"]
    env = {variable["name"]: variable for variable in container["env"]}

    assert "CONSOLE_SANDBOX=false" in generated("configMapGenerator")["console-config"]["literals"]
    assert env["CONSOLE_SESSION_SECRET"]["valueFrom"]["secretKeyRef"]["name"] == "console-session"
    assert set(json.loads(env["CONSOLE_SERVICE_ENDPOINTS"]["value"])) == set(SERVICES)
    assert not any("MONGO" in name or "AMQP" in name for name in k8s_environment("console"))


def test_compose_mongodb_is_a_replica_set_initiated_by_its_healthcheck() -> None:
    mongo = COMPOSE_FILE["services"]["mongo"]

    assert "--replSet" in mongo["command"]
    assert "rs.initiate" in (COMPOSE.parent / "mongo" / "replica-set.sh").read_text()


def test_compose_never_hard_codes_a_secret() -> None:
    for name, definition in COMPOSE_FILE["services"].items():
        for key, value in (definition.get("environment") or {}).items():
            if re.search(r"PASSWORD|SECRET|_URL", key):
                assert "${" in str(value), f"{name}.{key}"
    documented = (COMPOSE.parent / ".env.example").read_text()
    for variable in set(re.findall(r"\$\{([A-Z_]+):\?", COMPOSE.read_text())):
        assert f"\n{variable}=" in documented, variable


def test_the_observability_profile_brings_metrics_logs_and_dashboards() -> None:
    profiled = {
        name for name, s in COMPOSE_FILE["services"].items() if "observability" in s.get("profiles", [])
    }

    assert profiled == {"prometheus", "loki", "promtail", "grafana"}


# --- Service settings -----------------------------------------------------------------------------------

# Settings every service has; a service reads each only under its own prefix (`ESCROW_MONGO_URL`).
SHARED_SETTINGS = {name.upper() for name in ServiceSettings.model_fields}
NEEDED = ("MONGO_URL", "AMQP_URL", "AMQP_NAMESPACE", "JWT_PUBLIC_KEYS_FILE", "SANDBOX", "HTTP_PORT")


def k8s_environment(service: str) -> set[str]:
    """The variables a service's pod gets: its container's env and its config maps' literals."""
    (container,) = of_kind("Deployment")[service]["spec"]["template"]["spec"]["containers"]
    names = {variable["name"] for variable in container["env"]}
    for source in container.get("envFrom", []):
        literals = generated("configMapGenerator")[source["configMapRef"]["name"]]["literals"]
        names |= {literal.split("=", 1)[0] for literal in literals}
    return names


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_is_configured_through_its_own_prefixed_settings_only(service: str) -> None:
    prefix = f"{service.upper()}_"
    for environment in (set(COMPOSE_FILE["services"][service]["environment"]), k8s_environment(service)):
        assert not environment & SHARED_SETTINGS, environment & SHARED_SETTINGS
        assert {prefix + name for name in NEEDED} <= environment


# --- Observability ---------------------------------------------------------------------------------------


def exported_metrics() -> set[str]:
    names: set[str] = set()
    for family in PlatformMetrics().registry.collect():
        suffixes = {"counter": ["_total"], "histogram": ["_bucket", "_sum", "_count"]}.get(family.type, [""])
        names |= {family.name + suffix for suffix in suffixes}
    return names


PLATFORM_METRIC = re.compile(r"\b(tradeguard_[a-z_]+)\b")


def test_prometheus_scrapes_every_service_and_alerts_on_the_platform_metrics() -> None:
    config = load_yaml(OBSERVABILITY / "prometheus" / "prometheus.yml")
    alerts = load_yaml(OBSERVABILITY / "prometheus" / "alerts.yml")
    targets = {t for job in config["scrape_configs"] for c in job["static_configs"] for t in c["targets"]}
    rules = {rule["alert"]: rule["expr"] for group in alerts["groups"] for rule in group["rules"]}

    assert {f"{service}:{port}" for service, port in DEPLOYED.items()} <= targets
    assert {"ParkingLotNotEmpty", "OutboxBacklog", "HighServerErrorRate", "HighP99Latency"} <= set(rules)
    for expr in rules.values():
        assert set(PLATFORM_METRIC.findall(expr)) <= exported_metrics(), expr


def provisioned_datasources() -> set[str]:
    provisioning = load_yaml(OBSERVABILITY / "grafana" / "provisioning" / "datasources" / "datasources.yml")
    return {datasource["uid"] for datasource in provisioning["datasources"]}


def panels(dashboard: Manifest) -> Iterator[Manifest]:
    for panel in dashboard["panels"]:
        yield panel
        yield from panel.get("panels", [])


@pytest.mark.parametrize("path", DASHBOARDS, ids=[path.name for path in DASHBOARDS])
def test_dashboards_are_json_referencing_provisioned_datasources_and_real_metrics(path: Path) -> None:
    dashboard = json.loads(path.read_text(encoding="utf-8"))
    # "__expr__" is Grafana's built-in server-side expression datasource (math across queries).
    allowed = provisioned_datasources() | {"__expr__"}

    assert dashboard["uid"] == path.stem
    for panel in panels(dashboard):
        if panel["type"] == "row":
            continue
        assert panel["datasource"]["uid"] in allowed, panel["title"]
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            assert target["datasource"]["uid"] in allowed, panel["title"]
            if target["datasource"]["uid"] == "prometheus":
                assert set(PLATFORM_METRIC.findall(target["expr"])) <= exported_metrics(), target["expr"]


def test_dashboards_cover_every_figure_of_the_ops_view() -> None:
    text = " ".join(path.read_text(encoding="utf-8") for path in DASHBOARDS)
    for needle in [
        "escrow.order_placed",
        "escrow.order_funded",
        "logistics.shipment_dispatched",
        "logistics.shipment_delivered",
        "escrow.receipt_confirmed",
        "escrow.funds_released",
        "escrow.refund_issued",
        "deadline_missed",
        "disputes.claim_opened",
        "tradeguard_messages_parked_total",
        "message_parked",
        "tradeguard_http_request_duration_seconds_bucket",
    ]:
        assert needle in text, needle


def test_log_shipping_labels_lines_by_service_and_event() -> None:
    promtail = load_yaml(OBSERVABILITY / "promtail" / "promtail.yml")
    (job,) = promtail["scrape_configs"]
    labels = next(stage["labels"] for stage in job["pipeline_stages"] if "labels" in stage)

    assert {"service", "event", "event_type"} <= set(labels)
    assert load_yaml(OBSERVABILITY / "loki" / "loki.yml")["schema_config"]["configs"]
