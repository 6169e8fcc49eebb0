"""The `cbec-talent` command line."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

DESCRIPTION = """CBEC Talent: cross-border e-commerce talent training for a college and its partner enterprises.

Common tasks:
  cbec-talent demo                       set up a sample college on SQLite and serve it at http://127.0.0.1:8000
  cbec-talent load-reference             load the reference competency framework and occupation taxonomies
  cbec-talent export-framework CBEC-REF -f xlsx -o framework.xlsx
  cbec-talent import-framework my.xlsx --version 2027.1
  cbec-talent serve                      serve with gunicorn (production settings; set SECRET_KEY, ALLOWED_HOSTS)

Settings come from the environment: DATABASE_URL (default SQLite in ./var), SECRET_KEY, DEBUG, ALLOWED_HOSTS.
"""


def _setup(settings_module: str = "cbec_talent.settings.dev") -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    import django

    django.setup()


def _manage(*args: str, **options) -> None:
    from django.core.management import call_command

    call_command(*args, **options)


def _print_problems(exc) -> int:
    print("Refused; nothing was written:", file=sys.stderr)
    for problem in exc.problems[:200]:
        print(f"  - {problem}", file=sys.stderr)
    if len(exc.problems) > 200:
        print(f"  ... and {len(exc.problems) - 200} more", file=sys.stderr)
    return 2


def cmd_load_reference(args) -> int:
    from cbec_talent.competencies import services, taxonomies
    from cbec_talent.core.audit_context import acting_as

    with acting_as(None, "cli"):
        fw, created = services.reference_load()
        print(
            f"Reference framework {fw.code} {fw.version}: {'loaded' if created else 'already present'}"
            f" ({fw.competencies.count()} competencies, {fw.positions.count()} positions)."
        )
        from cbec_talent.programmes.services import sample_load

        programme, created = sample_load(framework=fw)
        print(f"Sample programme {programme.code}: {'loaded' if created else 'already present'}.")
        if not args.skip_taxonomies:
            n = taxonomies.import_csco(taxonomies.VENDORED_CSCO.read_bytes())
            print(f"CSCO 2022 occupations: {n}.")
            esco = Path(args.esco) if args.esco else taxonomies.default_esco_path()
            if esco.exists():
                print(f"ESCO occupations: {taxonomies.import_esco(esco.read_bytes())}.")
            else:
                print(f"ESCO occupations skipped: {esco} not found (pass --esco PATH to occupations_en.csv).")
            skills = taxonomies.default_esco_skills_path()
            if skills.exists():
                print(f"ESCO skills: {taxonomies.import_esco_skills(skills.read_bytes())}.")
            else:
                print(f"ESCO skills skipped: {skills} not found.")
    return 0


def _read_document(path: Path):
    from cbec_talent.competencies.document import parse_text_document
    from cbec_talent.competencies.exporting import xlsx_to_document

    data = path.read_bytes()
    if path.suffix.lower() == ".xlsx":
        return xlsx_to_document(data)
    return parse_text_document(data.decode("utf-8-sig"), path.name)


def cmd_import_framework(args) -> int:
    from cbec_talent.competencies import services
    from cbec_talent.core.audit_context import acting_as
    from cbec_talent.core.errors import CbecError

    try:
        with acting_as(None, "cli"):
            fw = services.framework_import(document=_read_document(Path(args.file)), version=args.version)
    except CbecError as exc:
        return _print_problems(exc)
    except UnicodeDecodeError:
        print("Refused: the file is not UTF-8 text.", file=sys.stderr)
        return 2
    print(f"Imported {fw.code} {fw.version}: {fw.competencies.count()} competencies, {fw.positions.count()} positions.")
    return 0


def cmd_export_framework(args) -> int:
    from cbec_talent.competencies.exporting import (
        document_to_json,
        document_to_xlsx,
        document_to_yaml,
        framework_to_document,
    )
    from cbec_talent.competencies.models import Framework

    qs = Framework.objects.filter(code=args.code)
    if args.version:
        qs = qs.filter(version=args.version)
    fw = qs.order_by("-created_at").first()
    if fw is None:
        print(f"No framework {args.code} {args.version or ''}".strip(), file=sys.stderr)
        return 2
    doc = framework_to_document(fw)
    if args.format == "xlsx":
        data = document_to_xlsx(doc)
        if not args.output:
            print("Excel output needs -o FILE.", file=sys.stderr)
            return 2
        Path(args.output).write_bytes(data)
    else:
        text = document_to_yaml(doc) if args.format == "yaml" else document_to_json(doc)
        if args.output:
            Path(args.output).write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
    return 0


def cmd_compile_translations(args) -> int:
    from cbec_talent.core.i18n import compile_translations

    for path in compile_translations():
        print(f"compiled {path}")
    return 0


def _optional_demo(app: str):
    """An app's `demo.create_demo_data`, if the app ships one."""
    import importlib

    try:
        module = importlib.import_module(f"cbec_talent.{app}.demo")
    except ModuleNotFoundError:
        return None
    return getattr(module, "create_demo_data", None)


def cmd_demo(args) -> int:
    from cbec_talent.demo import create_demo_users

    Path(os.environ.get("CBEC_VAR_DIR", "var")).mkdir(parents=True, exist_ok=True)
    cmd_compile_translations(args)
    _manage("migrate", "--noinput", verbosity=0)
    cmd_load_reference(argparse.Namespace(skip_taxonomies=False, esco=None))
    logins = create_demo_users()
    for module in ("practice", "cohorts", "labour_market", "partnerships", "selection", "certification", "faculty",
                   "innovation", "realstore"):
        demo = _optional_demo(module)
        if demo is not None:
            demo()
    print(f"\nSample logins (password for all: {logins[0][1]}):")
    for username, _password, roles in logins:
        print(f"  {username:<10} {', '.join(roles)}")
    print("  student2, student3, student4: more students (practice simulator teams)")
    if args.no_serve:
        return 0
    print(f"\nServing http://127.0.0.1:{args.port}  (Ctrl+C stops)")
    _manage("runserver", f"127.0.0.1:{args.port}", "--noreload")
    return 0


def cmd_serve(args) -> int:
    import subprocess

    _manage("migrate", "--noinput", verbosity=0)
    _manage("collectstatic", "--noinput", verbosity=0)
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "cbec_talent.wsgi",
        "--bind",
        f"{args.host}:{args.port}",
        "--workers",
        str(args.workers),
        "--access-logfile",
        "-",
    ]
    return subprocess.call(cmd)


def cmd_worker(args) -> int:
    extra = ["--interval", str(args.interval)] + (["--batch"] if args.batch else [])
    _manage("cbec_worker", *extra, "--no-startup-delay", "--no-reload")
    return 0


def _with_certificates(request, programme, specs):
    """Add "prepare certificate X at level Y" (CODE:LEVEL) constraints from the catalogue's module-course map."""
    import dataclasses

    from cbec_talent.certification.credit import certificate_needs
    from cbec_talent.core.errors import CbecError

    needs = []
    for spec in specs:
        code, _sep, level = spec.partition(":")
        try:
            found = certificate_needs(programme, code.strip(), level.strip())
        except CbecError as exc:
            _print_problems(exc)
            return None
        for need in found:
            courses = ", ".join(need.courses) or "(none)"
            print(f"  needs {need.certificate} {need.level} {need.module}: one of {courses}", file=sys.stderr)
        needs.extend(found)
    return dataclasses.replace(request, certificate_modules=tuple(needs))


def _programme_optimise(args) -> int:
    """Choose and schedule the programme's own courses (its catalogue) for the best weighted coverage."""
    import json
    from dataclasses import asdict

    from cbec_talent.engines.curriculum import optimise, request_from_programme
    from cbec_talent.programmes.models import Programme
    from cbec_talent.programmes.services import programme_document

    programme = Programme.objects.filter(code=args.code).order_by("-created_at").first()
    if programme is None:
        print(f"No programme {args.code}", file=sys.stderr)
        return 2
    request = request_from_programme(
        programme_document(programme), direction=args.direction, time_limit=args.time_limit
    )
    if getattr(args, "certificate", None):
        request = _with_certificates(request, programme, args.certificate)
        if request is None:
            return 2

    def progress(fraction: float, message: str) -> None:
        if not args.json:
            print(f"  [{fraction:4.0%}] {message}", file=sys.stderr)

    result = optimise(request, progress=progress)
    if args.json:
        print(json.dumps(asdict(result), ensure_ascii=False, indent=2, default=str))
        return 0 if result.status in ("optimal", "feasible") else 1
    print(
        f"status {result.status}; objective {result.objective:.4f}; bound {result.bound:.4f}; gap {result.gap:.2%};"
        f" proven optimal: {result.proven_optimal}; {result.seconds:.2f} s"
    )
    if result.conflict is not None:
        print(f"conflict: {', '.join(result.conflict.groups)}: {result.conflict.message.en}")
        for member in result.conflict.members:
            print(f"  - {member}")
    by_semester: dict[int, list[str]] = {}
    for planned in result.plan:
        by_semester.setdefault(planned.semester, []).append(planned.code)
    for semester in sorted(by_semester):
        print(f"  semester {semester}: {' '.join(sorted(by_semester[semester]))}")
    for b in result.binding:
        print(f"  binds: {b.group} {b.name} = {b.value:g} (limit {b.limit:g}): {b.why.en}")
    return 0 if result.status in ("optimal", "feasible") else 1


def cmd_programme(args) -> int:
    import json

    from cbec_talent.core.errors import CbecError
    from cbec_talent.programmes.models import Programme
    from cbec_talent.programmes.selectors import programme_summary_json

    if args.action == "list":
        rows = [
            {
                "code": p.code,
                "version": p.version,
                "name_zh": p.name_zh,
                "name_en": p.name_en,
                "semesters": p.semesters,
                "courses": p.courses.count(),
            }
            for p in Programme.objects.order_by("code")
        ]
        if args.json:
            print(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            for r in rows:
                print(f"{r['code']:<16} {r['version']:<8} {r['courses']:>4} courses  {r['name_zh']}")
        return 0
    if args.action == "optimise":
        return _programme_optimise(args)
    qs = Programme.objects.filter(code=args.code)
    if args.version:
        qs = qs.filter(version=args.version)
    programme = qs.order_by("-created_at").first()
    if programme is None:
        print(f"No programme {args.code}", file=sys.stderr)
        return 2
    try:
        summary = programme_summary_json(programme)
    except CbecError as exc:
        return _print_problems(exc)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return 0
    alloc = summary["allocation"]
    print(f"{programme.code} {programme.version}  {programme.name_zh}")
    for r in [*alloc["rows"], alloc["total"]]:
        print(
            f"  {r['module']:<8} {r['credits']:>7g} {r['percent']:>4}% {r['total_hours']:>6} {r['theory_hours']:>6}"
            f" {r['practice_hours']:>6}  {r['ratio']}"
        )
    for d in alloc["discrepancies"]:
        print(f"  ! {d['figure']}: stated {d['stated']}, computed {d['computed']}")
    for issue in summary["validation"]:
        print(f"  [{issue['severity']}] {issue['rule']} {issue['subject']}: {issue['message']['en']}")
    return 0


def cmd_demand(args) -> int:
    from cbec_talent.engines.demand import cli as demand_cli

    rest = list(args.rest)
    if rest[:1] == ["tag"]:
        return demand_cli.main(rest[1:])
    if rest[:1] == ["report"]:
        return demand_cli.report_main(rest[1:])
    if rest[:1] == ["skills"]:
        from cbec_talent.engines.demand import esco_cli

        return esco_cli.main(rest[1:])
    if rest[:1] == ["code"]:
        return demand_cli.code_main(rest[1:])
    print(
        "usage: cbec-talent demand {tag,report,skills,code} FILE [options]  (add --help after the subcommand)",
        file=sys.stderr,
    )
    return 2


def cmd_simulate(args) -> int:
    from cbec_talent.engines.simulation import cli as simulation_cli

    return simulation_cli.main(list(args.rest)) or 0


def cmd_credentials(args) -> int:
    """Issue, verify and revoke Open Badges 3.0 credentials. verify exits 0 only for a valid credential
    (1 invalid or untrusted, 3 revoked, 2 unreadable)."""
    import json

    from cbec_talent.core.audit_context import acting_as
    from cbec_talent.core.errors import CbecError
    from cbec_talent.credentials import selectors, services

    if args.action == "issue":
        student = selectors.student_by_number(args.student)
        if student is None:
            print(f"No student {args.student}", file=sys.stderr)
            return 2
        try:
            with acting_as(None, "cli"):
                credential = services.credential_issue(
                    student=student, kind=args.kind, competency_code=args.competency or ""
                )
        except CbecError as exc:
            return _print_problems(exc)
        text = services.credential_file(credential)
        if args.output:
            Path(args.output).write_text(text, encoding="utf-8")
            print(f"Issued {credential.urn} ({credential.kind}) for {student.number} -> {args.output}")
        else:
            sys.stdout.write(text)
        return 0
    if args.action == "verify":
        try:
            document = json.loads(Path(args.file).read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            print(f"unreadable: {exc}", file=sys.stderr)
            return 2
        verdict = services.verify_document(document)
        print(f"{verdict.state.upper()}: {verdict.reason_en} / {verdict.reason_zh}")
        if verdict.credential_name or verdict.subject_name:
            print(f"  {verdict.credential_name} · {verdict.subject_name} · {verdict.issuer_name}")
        for name, ok in verdict.checks:
            print(f"  {'ok  ' if ok else 'FAIL'} {name}")
        return 0 if verdict.valid else (3 if verdict.state == "revoked" else 1)
    # revoke: a credential file or its UUID
    target = args.credential
    if Path(target).is_file():
        try:
            document = json.loads(Path(target).read_text(encoding="utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            print(f"unreadable: {exc}", file=sys.stderr)
            return 2
        credential = selectors.credential_of_document(document)
    else:
        try:
            credential = selectors.credential(target.removeprefix("urn:uuid:"))
        except Exception:
            credential = None
    if credential is None:
        print(f"No credential issued here matches {target}", file=sys.stderr)
        return 2
    try:
        with acting_as(None, "cli"):
            services.credential_revoke(credential=credential, reason=args.reason or "")
    except CbecError as exc:
        return _print_problems(exc)
    print(f"Revoked {credential.urn} (status list index {credential.status_index}).")
    return 0


def cmd_backup(args) -> int:
    from cbec_talent.core.errors import CbecError
    from cbec_talent.operations.backup import backup_create

    try:
        result = backup_create(output=Path(args.output) if args.output else None)
    except CbecError as exc:
        return _print_problems(exc)
    print(
        f"Backup written: {result.path} ({result.bytes / 1e6:.1f} MB; {result.tables} tables, {result.rows} rows,"
        f" {result.files} files; {result.seconds:.1f} s)"
    )
    return 0


def cmd_restore(args) -> int:
    from cbec_talent.core.errors import CbecError
    from cbec_talent.operations.backup import read_manifest, restore_archive

    try:
        manifest = read_manifest(Path(args.archive))
        if not args.yes:
            print(
                f"This replaces every table and every uploaded file with the backup of {manifest['created_at']}"
                f" ({manifest['vendor']}). Stop the server and the worker first, then run again with --yes.",
                file=sys.stderr,
            )
            return 2
        result = restore_archive(archive=Path(args.archive), method=args.method)
    except CbecError as exc:
        return _print_problems(exc)
    print(
        f"Restored {result.tables} tables, {result.rows} rows, {result.files} files"
        f" ({result.method}; {result.seconds:.1f} s)."
    )
    if result.mismatches:
        print("Differences from the backup:", file=sys.stderr)
        for m in result.mismatches[:50]:
            print(f"  - {m}", file=sys.stderr)
        return 1
    print("Every table and file matches the backup's checksums.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cbec-talent", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("demo", help="migrate, load the reference framework and a sample college, print logins, serve")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--no-serve", action="store_true", help="set everything up but do not start the server")
    p.set_defaults(func=cmd_demo, settings="cbec_talent.settings.dev")

    p = sub.add_parser("serve", help="serve with gunicorn using production settings (needs SECRET_KEY)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=2)
    p.set_defaults(func=cmd_serve, settings="cbec_talent.settings.production")

    p = sub.add_parser("worker", help="run the background task worker (imports, tagging, optimisation)")
    p.add_argument("--interval", type=float, default=1.0, help="seconds between looks at an empty queue")
    p.add_argument("--batch", action="store_true", help="run the queued tasks, then stop")
    p.set_defaults(func=cmd_worker, settings="cbec_talent.settings.production")

    p = sub.add_parser("load-reference", help="load the reference framework, CSCO 2022 and (if found) ESCO")
    p.add_argument("--skip-taxonomies", action="store_true")
    p.add_argument("--esco", help="path to ESCO occupations_en.csv (default: ../shared/data/esco-v1.1-occupations)")
    p.set_defaults(func=cmd_load_reference)

    p = sub.add_parser("import-framework", help="import a framework from YAML, JSON or Excel (all-or-nothing)")
    p.add_argument("file")
    p.add_argument("--version", help="store under this version instead of the file's")
    p.set_defaults(func=cmd_import_framework)

    p = sub.add_parser("export-framework", help="export a framework to YAML, JSON or Excel")
    p.add_argument("code", help="framework code, e.g. CBEC-REF")
    p.add_argument("--version")
    p.add_argument("-f", "--format", choices=["yaml", "json", "xlsx"], default="yaml")
    p.add_argument("-o", "--output", help="file to write (default: standard output; required for xlsx)")
    p.set_defaults(func=cmd_export_framework)

    p = sub.add_parser("programme", help="talent-training programmes: list, show (allocation, findings, coverage)")
    psub = p.add_subparsers(dest="action", required=True)
    pl = psub.add_parser("list", help="list programmes")
    pl.add_argument("--json", action="store_true")
    pl.set_defaults(func=cmd_programme)
    ps = psub.add_parser("show", help="allocation table, validation findings and coverage of one programme")
    ps.add_argument("code")
    ps.add_argument("--version")
    ps.add_argument("--json", action="store_true")
    ps.set_defaults(func=cmd_programme)
    po = psub.add_parser("optimise", help="optimise a programme's course choice and schedule (HiGHS MILP)")
    po.add_argument("code")
    po.add_argument("--direction", help="weight one career direction's positions, e.g. DIR.OP")
    po.add_argument("--time-limit", type=float, default=60.0)
    po.add_argument("--certificate", action="append", metavar="CODE:LEVEL",
                    help="also prepare this catalogue certificate at this level, e.g. 1X.B2C-DATA:中级 (repeatable)")
    po.add_argument("--json", action="store_true")
    po.set_defaults(func=cmd_programme)

    p = sub.add_parser("credentials", help="verifiable credentials: issue, verify, revoke (Open Badges 3.0, Ed25519)")
    csub = p.add_subparsers(dest="action", required=True)
    ci = csub.add_parser("issue", help="sign a student's graduation or competency credential")
    ci.add_argument("student", help="student number, e.g. 20240001")
    ci.add_argument("--kind", choices=["graduation", "competency"], default="graduation")
    ci.add_argument("--competency", help="framework code of the attained competency (with --kind competency)")
    ci.add_argument("-o", "--output", help="file to write (default: standard output)")
    ci.set_defaults(func=cmd_credentials)
    cv = csub.add_parser("verify", help="check a credential file; exit 0 only when it is valid")
    cv.add_argument("file")
    cv.set_defaults(func=cmd_credentials)
    cr = csub.add_parser("revoke", help="revoke a credential (a file or its UUID): sets its status-list bit")
    cr.add_argument("credential")
    cr.add_argument("--reason")
    cr.set_defaults(func=cmd_credentials)

    p = sub.add_parser("compile-translations", help="compile locale/*/LC_MESSAGES/*.po to .mo")
    p.set_defaults(func=cmd_compile_translations, needs_django=False)

    p = sub.add_parser(
        "demand",
        help="tag job postings (`demand tag FILE`), write a demand report (`demand report FILE`) or link lines to ESCO "
        "skills (`demand skills FILE`)",
        add_help=False,
    )
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_demand, needs_django=False)

    p = sub.add_parser(
        "simulate", help="run the practice simulator headless: simulate SCENARIO --teams N --seed S", add_help=False
    )
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_simulate, needs_django=False)

    p = sub.add_parser("backup", help="write the database and the uploaded files to one archive (safe while running)")
    p.add_argument("-o", "--output", help="archive to write (default: var/backups/cbec-talent-DATE.tar.gz)")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="replace the database and the uploaded files by a backup archive's")
    p.add_argument("archive")
    p.add_argument("--yes", action="store_true", help="really replace everything")
    p.add_argument("--method", choices=["auto", "rows", "file"], default="auto",
                   help="auto: the SQLite file into SQLite, else the portable rows")
    p.set_defaults(func=cmd_restore)

    for name, help_text in (
        ("createsuperuser", "create an administrator account (Django's command)"),
        ("migrate", "apply database migrations (Django's command)"),
        ("manage", "any Django management command, e.g. `cbec-talent manage check --deploy`"),
    ):
        p = sub.add_parser(name, help=help_text, add_help=False)
        p.add_argument("rest", nargs=argparse.REMAINDER)
        p.set_defaults(func=None, passthrough=name)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 0
    if getattr(args, "passthrough", None):
        _setup()
        from django.core.management import execute_from_command_line

        rest = list(args.rest)
        command = rest if args.passthrough == "manage" else [args.passthrough, *rest]
        execute_from_command_line(["cbec-talent", *command])
        return 0
    if getattr(args, "needs_django", True):
        _setup(getattr(args, "settings", "cbec_talent.settings.dev"))
    return args.func(args) or 0


if __name__ == "__main__":
    sys.exit(main())
