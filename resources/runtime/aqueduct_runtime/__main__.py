"""`python -m aqueduct_runtime`: run a bundle on this machine, run one node of it (what an
Airflow task calls), assemble the run record of a staged run, or drive a Ray job.

  python -m aqueduct_runtime run <bundle> --results DIR [--param k=v] [--engine NAME]
  python -m aqueduct_runtime ray <bundle> --results DIR [--param k=v] [--run-id ID]
"""
import argparse
import os
import sys

from .bundle import Bundle, BundleError
from .params import ParamError, parse_assignments


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m aqueduct_runtime", description="Run an exported Aqueduct workflow bundle.")
    sub = p.add_subparsers(dest="command", required=True)
    for name, what in (("run", "run the whole workflow in this process"), ("ray", "run it as a Ray job: one Ray task per node")):
        c = sub.add_parser(name, help=what)
        c.add_argument("bundle", help="the bundle folder (holds aqueduct-bundle.json)")
        c.add_argument("--results", required=True, help="folder for the run record and table outputs")
        c.add_argument("--output-dir", help="where relative publish paths go (default: the bundle folder)")
        c.add_argument("--param", action="append", default=[], help="a parameter value, name=value (repeatable)")
        c.add_argument("--run-id", help="the run's id (default: a new UUID)")
        c.add_argument("--engine", default="python" if name == "run" else "ray", help="the engine name recorded with the run")
        c.add_argument("--trigger", default="runtime", help="what started the run, recorded with it")
        c.add_argument("--print-record", action="store_true", help="also print the record on stdout between markers")
    args = p.parse_args(argv)
    try:
        bundle = Bundle(args.bundle, args.output_dir)
        # AQUEDUCT_PARAM_<name>=value (how a Kubernetes manifest passes them), then --param
        overrides = {k[len("AQUEDUCT_PARAM_"):]: v for k, v in os.environ.items() if k.startswith("AQUEDUCT_PARAM_")}
        overrides.update(parse_assignments(args.param))
        if args.command == "run":
            from .local_run import run_bundle

            record = run_bundle(bundle, args.results, args.engine, overrides, args.run_id, args.trigger,
                                echo_record=args.print_record)
        else:
            from .ray_run import run_on_ray

            record = run_on_ray(bundle, args.results, overrides, args.run_id, args.trigger, engine=args.engine,
                                echo_record=args.print_record)
    except (BundleError, ParamError) as e:
        print("error: %s" % e, file=sys.stderr)
        return 2
    return 1 if record["status"] == "failed" else 0


if __name__ == "__main__":
    sys.exit(main())
