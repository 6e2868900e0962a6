# Graph construction: metric-learning embedding + radius graph, or a module map built from
# simulated truth (graph_construction.method); both write graphs/<shard>.h5 for the filter.


if HAS_TRUTH and not config["inference"]["models_dir"] and GRAPH_METHOD == "module_map":

    # the map's events, in parts of MAP_PART events (one job each: --cores N simulates N at once)
    MAP_PART = 50
    MAP_PARTS = {
        f"part-{k:03d}": (
            config["module_map"]["first_event_id"] + k * MAP_PART,
            min(MAP_PART, config["module_map"]["events"] - k * MAP_PART),
        )
        for k in range(-(-config["module_map"]["events"] // MAP_PART))
    }

    rule simulate_module_map_events:
        output:
            directory(f"{RUN}/module_map/events/{{part}}"),
        log:
            f"{RUN}/logs/simulate_module_map_events/{{part}}.log",
        benchmark:
            f"{RUN}/benchmarks/simulate_module_map_events/{{part}}.tsv"
        conda:
            CONDA_ENV
        threads: 1
        resources:
            **resources_of("cpu"),
        params:
            cfg=RESOLVED,
            simulation=config["simulation"],
            module_map={k: config["module_map"][k] for k in ("seed", "simulation")},
            first=lambda wildcards: MAP_PARTS[wildcards.part][0],
            events=lambda wildcards: MAP_PARTS[wildcards.part][1],
            code=command_code("simulate-module-map-events"),
        shell:
            "trackgnn simulate-module-map-events --config {params.cfg:q} --out {output:q} "
            "--first-event {params.first:q} --events {params.events:q} --no-progress > {log:q} 2>&1"

    rule build_module_map:
        input:
            expand(f"{RUN}/module_map/events/{{part}}", part=sorted(MAP_PARTS)),
        output:
            f"{MODELS}/module_map/map.h5",
        log:
            f"{RUN}/logs/build_module_map.log",
        benchmark:
            f"{RUN}/benchmarks/build_module_map.tsv"
        conda:
            CONDA_ENV
        threads: 1
        resources:
            **resources_of("training"),
        params:
            cfg=RESOLVED,
            module_map={
                k: config["module_map"][k]
                for k in (
                    "events",
                    "pt_min",
                    "margin",
                    "rotation",
                    "mirror",
                    "triplets",
                    "triplet_granularity",
                    "triplet_margin",
                )
            },
            code=command_code("build-module-map"),
        shell:
            "trackgnn build-module-map --config {params.cfg:q} --events {input:q} --out {output:q} "
            "> {log:q} 2>&1"


if (
    HAS_TRUTH
    and not config["inference"]["models_dir"]
    and GRAPH_METHOD == "metric_learning"
):

    rule train_embedding:
        input:
            train=shards_of(FS, TRAIN_SHARDS),
            val=shards_of(FS, VAL_SHARDS),
        output:
            model_files("embedding", "embedding"),
            metrics=f"{MODELS}/embedding/metrics.json",
        log:
            f"{RUN}/logs/train_embedding.log",
        benchmark:
            f"{RUN}/benchmarks/train_embedding.tsv"
        conda:
            CONDA_ENV
        threads: RES["training"]["threads"]
        resources:
            **resources_of("training"),
        params:
            cfg=RESOLVED,
            metric_learning=training_params("metric_learning"),
            seed=training_seed("metric_learning"),
            out=lambda wildcards, output: os.path.dirname(output.metrics),
            code=command_code("train-embedding"),
        shell:
            "trackgnn train-embedding --config {params.cfg:q} --train {input.train:q} --val {input.val:q} "
            "--out {params.out:q} > {log:q} 2>&1"


if GRAPH_METHOD == "metric_learning":

    rule build_graphs:
        input:
            shard=f"{FS}/{{shard}}.h5",
            model=model_files("embedding", "embedding"),
        output:
            graphs=f"{RUN}/graphs/{{shard}}.h5",
            metrics=f"{RUN}/graphs/{{shard}}.json",
        log:
            f"{RUN}/logs/build_graphs/{{shard}}.log",
        benchmark:
            f"{RUN}/benchmarks/build_graphs/{{shard}}.tsv"
        conda:
            CONDA_ENV
        threads: 1
        resources:
            **resources_of("inference"),
        params:
            cfg=RESOLVED,
            metric_learning=config["metric_learning"],
            model=lambda wildcards, input: os.path.dirname(input.model[0]),
            code=command_code("build-graphs"),
        shell:
            "trackgnn build-graphs --config {params.cfg:q} --model {params.model:q} --input {input.shard:q} "
            "--out {output.graphs:q} --metrics {output.metrics:q} > {log:q} 2>&1"

else:

    rule build_graphs:
        input:
            shard=f"{FS}/{{shard}}.h5",
            map=f"{MODELS}/module_map/map.h5",
            events=f"{RUN}/events/{{shard}}",
        output:
            graphs=f"{RUN}/graphs/{{shard}}.h5",
            metrics=f"{RUN}/graphs/{{shard}}.json",
        log:
            f"{RUN}/logs/build_graphs/{{shard}}.log",
        benchmark:
            f"{RUN}/benchmarks/build_graphs/{{shard}}.tsv"
        conda:
            CONDA_ENV
        threads: config["module_map"]["threads"]
        resources:
            **resources_of("inference"),
        params:
            cfg=RESOLVED,
            module_map={
                k: config["module_map"][k] for k in ("chunk", "threads", "triplets")
            },
            code=command_code("build-graphs-module-map"),
        shell:
            "trackgnn build-graphs-module-map --config {params.cfg:q} --map {input.map:q} "
            "--input {input.shard:q} --events-dir {input.events:q} --out {output.graphs:q} "
            "--metrics {output.metrics:q} > {log:q} 2>&1"


if HAS_TRUTH and VAL_SHARDS and GRAPH_METHOD == "metric_learning":

    rule radius_scan:
        input:
            shard=f"{FS}/{VAL_SHARDS[0]}.h5",
            model=model_files("embedding", "embedding"),
        output:
            json=f"{RUN}/graphs/radius_scan.json",
            png=report(f"{RUN}/graphs/radius_scan.png", category="Graph construction"),
        log:
            f"{RUN}/logs/radius_scan.log",
        benchmark:
            f"{RUN}/benchmarks/radius_scan.tsv"
        conda:
            CONDA_ENV
        threads: 1
        resources:
            **resources_of("inference"),
        params:
            cfg=RESOLVED,
            metric_learning=config["metric_learning"],
            model=lambda wildcards, input: os.path.dirname(input.model[0]),
            code=command_code("radius-scan"),
        shell:
            "trackgnn radius-scan --config {params.cfg:q} --model {params.model:q} --input {input.shard:q} "
            "--json {output.json:q} --png {output.png:q} > {log:q} 2>&1"
