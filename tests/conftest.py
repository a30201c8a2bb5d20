"""Shared fixtures: the CLI runner, the real data directory when available, and the
table of tests marked slow (the quick loop is ``pytest -m "not slow"``)."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import typer.testing
from typer.testing import CliRunner

# OpenBLAS's worker threads spin while they wait for work: on the small matrices of the tests
# they add no speed and burn CPU (the quick loop: about 51 s of user CPU with the default two
# threads, 41 s with one, on the two shared cores). numpy is not imported yet (plugins and
# this file do not import it), so the one thread holds for the session and for the
# commands the tests start as subprocesses; a value set by the caller is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


@pytest.fixture
def runner() -> CliRunner:
    """A CliRunner that keeps stdout and stderr apart."""
    return CliRunner()


def _one_conversion_per_app(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``convert`` (typer's app -> click command), remembered for each app.

    The key holds what the conversion reads from the app besides its identity (how many
    commands and groups are registered, and the callback), so an app changed after its first
    invoke is converted again; the cache keeps each app alive, so an id is never reused.
    """
    cache: dict[tuple[int, int, int, int], tuple[Any, Any]] = {}

    def convert_once(app: Any) -> Any:
        key = (id(app), len(getattr(app, "registered_commands", ())),
               len(getattr(app, "registered_groups", ())),
               id(getattr(app, "registered_callback", None)))
        if key not in cache:
            cache[key] = (app, convert(app))
        return cache[key][1]

    return convert_once


@pytest.fixture(scope="session", autouse=True)
def _convert_each_typer_app_once() -> Iterator[None]:
    """typer's CliRunner turns the Typer app into click commands on every ``invoke`` (~60 ms
    for the whole ``probkit`` app, and the quick loop invokes it several hundred times):
    here each app is converted once a session. The click command is then reused across
    invokes, as click's own CliRunner always does; each invoke still parses in a fresh
    context. The installed script (``probkit_cli.app:main``) is untouched: it converts one
    command per process, and the subprocess tests run it as installed.
    """
    convert = getattr(typer.testing, "_get_command", None)
    if convert is None:  # typer renamed it: the tests still run, only slower
        yield
        return
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(typer.testing, "_get_command", _one_conversion_per_app(convert))
        yield


@pytest.fixture(scope="session")
def cat_data_dir() -> Path:
    """The real cat-vs-non-cat directory from PROBKIT_CAT_DATA (tests skip without it)."""
    value = os.environ.get("PROBKIT_CAT_DATA")
    if not value:
        pytest.skip("PROBKIT_CAT_DATA is not set (the real data set is not available)")
    path = Path(value)
    if not (path / "train_catvnoncat.h5").is_file():
        pytest.fail(f"PROBKIT_CAT_DATA={value} does not hold train_catvnoncat.h5")
    return path


class _BuiltOnFirstUse(Mapping[str, Any]):
    """The built-in derivations by name, each built the first time it is looked up.

    A ``Derivation`` is a frozen dataclass of tuples and SymPy expressions, so one object
    can serve every test. Looking one up builds only that one: the quick loop never builds
    two-layer (seconds on its own), whose tests are in :data:`SLOW_TESTS`.
    """

    def __init__(self) -> None:
        from probkit.symbolic import names

        self._names = tuple(names())
        self._built: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._names:
            raise KeyError(name)
        if name not in self._built:
            from probkit.symbolic import build

            self._built[name] = build(name)
        return self._built[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


@pytest.fixture(scope="session")
def derivations() -> Mapping[str, Any]:
    """Every built-in derivation by name (symbolic/test_derivations.py, symbolic/test_render.py),
    each built once a session, when a test first looks it up; in the registry's order."""
    return _BuiltOnFirstUse()


# The quick loop, `pytest -m "not slow"`, stays about a minute on two cores (2026-12-01, the
# machine otherwise idle: 52-65 s wall for ~1,590 tests, as fast as the host was; main before
# this table grew: 98-110 s). The whole suite runs in CI. Nothing
# is ever deleted to get there: a test moves here, into the `slow` table, when
#   * it takes more than ~1-2 s (`pytest -m "not slow" --durations=0 -p no:randomly`), or
#   * it is one more case of a family whose representative stays quick (one fresh
#     interpreter per lazy-import guarantee; five of the six derivations, not two-layer;
#     one negative control per Monte Carlo method ...).
# Cheaper than moving a test: work done once instead of per test. Above: one click command
# per Typer app for every CliRunner, one build per derivation; test_architecture.py parses
# probkit once (python_sources.py); module- or session-scoped fixtures for immutable
# results (trained models, loaded data); one OpenBLAS thread and collection's objects frozen
# out of the garbage collector (top of this file; with them and the 12-07 moves below, the
# quick loop took 40-42 s of user CPU for 2,989 tests, main 58 s at the same load). A key is
# "file::test" (every parameter), "file::test[param]" (one) or "file" (every test in it); a
# module's doctests are "x.py::probkit.pkg.x". A file is named without its folder (test file
# names are unique). This table is the one way to mark a test slow (no slow marker in the
# test files). The keys are checked against the test files (test_slow_table.py), so a
# renamed test fails loudly instead of quietly rejoining the quick loop.
SLOW_TESTS = {
    "test_check_probes.py::test_no_correct_line_is_wrong_and_no_slip_passes_silently",
    "test_ensemble.py::test_nested_cv_reruns_the_ensemble_selection_in_every_outer_fold",
    "test_tune_cli.py::test_tune_prints_each_ensemble_weight_as_saved",
    "test_ensemble.py::test_a_one_member_ensemble_is_the_plain_winner",
    "test_ensemble.py::test_selection_with_an_ensemble_calibrates_and_refits_the_average",
    "test_check_heldout_sums.py::test_correct_post_mathematics",
    "test_check_vectorized.py::test_no_correct_line_is_wrong_and_no_slip_passes_silently",
    "test_check_vectorized.py::test_every_backward_line_of_the_correct_post_is_verified",
    "test_check_vectorized.py::test_the_slip_is_caught_on_its_line_with_its_kind",
    "test_check_vectorized.py::test_a_post_without_declarations_is_undecided_not_guessed",
    "test_check_vectorized.py::test_shape_error_names_the_product_and_the_transpose_meant",
    "test_check_vectorized.py::test_a_line_with_an_unread_function_is_undecided_not_wrong",
    "test_docs_output.py::test_classifier_commands_print_what_the_page_shows",
    "test_rich_display.py::test_every_classifier_result_has_a_short_repr_and_an_html_table",
    "test_notebook.py::test_figures_are_pictures_in_a_fresh_kernel",
    "test_notebook.py::test_reports_are_html_tables_with_a_short_plain_form",
    "test_fuzz_cli.py::test_hostile_cases_are_refused_by_name[cost bombs]",
    "test_fuzz_cli.py::test_hostile_cases_are_refused_by_name[special-file outputs]",
    "test_derive_bounds.py::test_the_cost_bombs_are_refused_quickly_by_name",
    "test_derive_bounds.py::test_written_nodes_bound_at_its_worst_case",
    "test_signals.py::test_sigterm_stops_the_workers_and_exits_143",
    "test_signals.py::test_workers_die_with_a_killed_parent",
    "test_realdata_default_path.py",
    "test_default_search.py::test_nested_cv_of_a_one_candidate_grid_is_plain_cv_on_the_outer_folds",
    "test_default_search.py::test_nested_cv_scores_the_selection_not_the_winner",
    "test_default_search.py::test_nested_runs_by_default_only_on_the_default_grid",
    "test_default_search.py::test_a_refit_stopped_short_is_a_note_and_early_stopping_is_not",
    "test_default_search.py::test_a_winner_no_better_than_the_constant_model_is_warned_in_one_line",
    "test_convergence_warning.py::test_without_scikit_learn_the_warning_is_probkits_own",
    "test_convergence_warning.py::test_l2_is_one_over_c_in_scikit_learns_terms",
    "test_photo_or_not.py::test_typical_inputs_are_flagged_about_alpha_of_the_time",
    "test_photo_or_not.py::test_the_tail_keeps_falling_beyond_the_largest_training_score",
    "test_photo_typicality.py::test_screens_pages_and_flat_images_are_far_from_colour_photographs",
    "test_check_heldout.py::test_no_correct_line_is_wrong_and_no_slip_passes_silently",
    "test_check_heldout.py::"
    "test_every_held_out_slip_is_caught_on_its_line_and_every_correct_post_is_clean",
    # 1,000 seeds per case: minutes
    "test_numeric_monte_carlo.py::test_numeric_intervals_cover_95_percent_over_1000_seeds",
    "test_numeric_monte_carlo.py::test_numeric_coverage_negative_control_a_shifted_truth_is_not_covered",
    "test_numeric_monte_carlo.py::test_cli_table_says_too_few_instead_of_an_interval",
    "test_numeric_monte_carlo.py::test_importance_with_tiny_likelihoods_prints_no_numpy_warning",
    "test_bayes_bounds.py::test_power_prior_on_100000_values_is_refused_from_the_sizes",
    "test_docs_scripts.py::test_dask_script_runs_as_a_script",
    "test_docs_scripts.py::test_photo_flag_rates_page_shows_what_the_script_prints",
    "test_docs_scripts.py::test_dask_script_without_the_main_guard_fails_negative_control",
    "test_derive_prose.py::test_no_built_in_derivation_writes_a_derivative_before_a_sign",
    "test_pre_commit_hook.py::test_a_blog_uses_the_hook_from_a_clone_of_this_repository",
    "test_pre_commit_hook.py::test_the_declared_hook_run_by_pre_commit_blocks_a_slip",
    "test_render_fix.py::test_hugo_strict_tomath_fails_on_the_seed_post_and_builds_it_after_fix",
    "test_render_fix.py::test_the_tables_agree_with_katex_in_a_real_hugo_build",
    "test_realdata_classifier.py::test_dual_path_equals_primal_path_on_real_data",
    "test_realdata_classifier.py::test_lambda_100_course_rate_oscillates_and_lbfgs_converges",
    "test_realdata_classifier.py::test_two_layer_recipe_reproduces_100_and_72",
    "test_realdata_classifier.py::test_logistic_recipe_reproduces_99_and_70",
    "test_model_gradient_check.py::test_standard_checks_cover_six_configurations",
    "test_model_gradient_check.py::test_backprop_agrees_with_both_oracles[two-layer-relu-0.0]",
    "test_model_gradient_check.py::test_backprop_agrees_with_both_oracles[two-layer-tanh-0.0]",
    "test_model_gradient_check.py::test_backprop_agrees_with_both_oracles[two-layer-tanh-0.7]",
    "test_model_gradient_check.py::test_backprop_agrees_with_both_oracles[two-layer-relu-0.7]",
    "test_model_gradient_check.py::test_a_doubled_l2_term_fails_the_check[two-layer-relu]",
    "test_train_evaluate_trust_options.py::test_l2_auto_selects_on_train_before_the_test_file_is_opened",
    "test_train_evaluate_trust_options.py::test_train_and_evaluate_plots",
    "test_bayes_exact.py::test_order_of_independent_observations_does_not_matter",
    "test_bayes_exact.py::test_posteriors_sum_to_exactly_one",
    "test_bayes_exact.py::test_normalize_is_scale_invariant",
    "test_bayes_exact.py::test_sequential_updates_equal_one_batch_update",
    "test_coverage.py::test_interval_covers_the_exact_posterior_95_percent",
    "test_coverage.py::test_certain_posterior_is_always_covered",
    "test_coverage.py::test_likelihood_weighting_under_covers_rare_evidence",
    "test_classifier_cli.py::test_installed_console_script",
    "test_tune_cli.py::test_tune_as_installed_console_script",
    "test_tune_cli.py::test_tune_for_a_target_base_rate",
    "test_tune_cli.py::test_tune_custom_grid_one_se_and_plots",
    "test_tune_cli.py::test_selection_never_opens_the_test_file",
    "test_tune_cli.py::test_tune_json_writes_a_model_chosen_by_the_rule",
    "test_selection.py::test_select_model_beats_the_constant_and_refits",
    "test_coverage.py::test_negative_control_wrong_exact_value_fails[two-rejection-10000-30000]",
    "test_derive_cli.py::test_docs_are_in_sync_with_the_tool",
    "test_derive_cli.py::test_every_derivation_as_json[two-layer]",
    "test_derive_cli.py::test_installed_console_script_derives_sigmoid",
    "test_lazy_imports_installed.py::test_derive_sigmoid_imports_sympy_but_not_scipy_or_h5py",
    "test_derive_cli.py::test_derive_sigmoid_imports_neither_scipy_nor_h5py",
    "test_selection.py::test_repeated_cv_extends_the_single_run",
    "test_selection.py::test_select_for_a_target_base_rate",
    "test_selection.py::test_one_se_rule_picks_a_row_within_one_se",
    "test_base_rate.py::test_odds_conversion_equals_bayes_from_likelihoods",
    "test_base_rate.py::test_round_trip_and_identity",
    "test_numbers.py::test_fraction_text_round_trips",
    "test_montecarlo_cli.py::test_installed_console_script_runs_monte_carlo",
    "test_features_pipeline.py::test_selection_of_the_representation_never_opens_the_test_file",
    "test_features_pipeline.py::test_evaluate_counts_flags_and_estimates_the_base_rate",
    "test_label_shift.py::test_em_recovers_a_known_shift",
    "test_typicality.py::test_score_is_ledoit_wolf_mahalanobis",
    # over ~0.9 s each on the shared machine (integration, 2026-12-01)
    "tutorial.md::tutorial.md",
    "two_layer.py::probkit.symbolic.two_layer",
    "test_workflows.py::test_tune_report_is_the_cli_json",
    "test_label_shift.py::test_weak_classifier_on_a_small_batch_is_refused",
    "test_bayes_engine.py::test_exact_work_is_bounded_by_digits_times_hypotheses",
    "test_lazy_imports_installed.py::test_plot_imports_matplotlib_only_when_asked",
    "test_bayes_file.py::test_file_form_equals_cli_form",
    "test_usage_errors.py::test_help_version_and_no_arguments_still_work",
    "test_sklearn_compat.py::test_grid_search_pipeline_and_calibration_drive_the_models",
    "test_bayes_events.py::test_every_operator_on_random_exact_numbers",
    "test_selection.py::test_cv_scores_match_a_manual_recomputation",
    "test_bayes_numeric.py::test_plot_returns_the_axes_and_keeps_the_backend",
    # The two-layer derivation takes ~4 s to build (the other five together ~2 s): the quick
    # loop runs every renderer and check on the other five, CI on all six (quick loop, 12-01).
    "test_derivations.py::test_every_step_and_result_is_verified[two-layer]",
    "test_derivations.py::test_matrix_steps_are_checked_numerically_and_scalar_steps_symbolically",
    "test_derivations.py::test_two_layer_checks_cover_both_activations_with_and_without_l2",
    "test_derivations.py::test_explanations_are_single_lines",
    "test_render.py::test_text_marks_every_step_verified[two-layer]",
    "test_render.py::test_latex_is_one_align_star_fragment[two-layer]",
    "test_render.py::test_markdown_is_ready_for_hugo[two-layer]",
    "test_render.py::test_markdown_document_of_all_derivations_has_one_front_matter",
    "test_render.py::test_json_steps_parse_back_into_sympy[two-layer]",
    "test_render.py::test_json_of_several_derivations",
    "test_render.py::test_the_display_shows_what_the_words_name[two-layer]",
    "test_render.py::test_one_derivative_notation_per_derivation[two-layer]",
    "test_render.py::test_prose_formulas_are_typeset_in_markdown_and_ascii_in_text"
    "[two-layer]",
    "test_render.py::test_names_in_the_notes_appear_on_the_page[two-layer]",
    "test_render.py::test_relu_slope_is_the_codes_convention",
    "test_render.py::test_counts_count_each_distinct_check_once[two-layer]",
    "test_render.py::test_derive_all_counts_46_distinct_checks",
    "test_render.py::test_escaped_flavour_unescapes_to_the_passthrough_latex",
    # Fresh interpreters (0.3-1 s each) checking what a command imports: the quick loop keeps
    # one per guarantee (installed `probkit bayes` and `bayes --values`, `import probkit`,
    # the CLI without sympy or numerics, the LaTeX parser, the entry points), CI the variants.
    "test_lazy_imports_installed.py::test_exact_commands_import_no_heavy_package[urn]",
    "test_lazy_imports_installed.py::test_exact_commands_import_no_heavy_package[diagnostic]",
    "test_lazy_imports_installed.py::test_exact_commands_import_no_heavy_package[bayes-values]",
    "test_lazy_imports_installed.py::test_problem_file_imports_no_heavy_package",
    "test_lazy_imports_installed.py::test_bad_exact_input_imports_no_heavy_package",
    "test_lazy_imports_installed.py::test_check_of_a_post_without_maths_imports_no_heavy_package[folder]",
    "test_lazy_imports_installed.py::test_check_of_a_post_with_maths_imports_sympy",
    "test_bayes_cli.py::test_exact_path_imports_no_heavy_package",
    "test_montecarlo_cli.py::test_exact_path_still_does_not_import_numpy",
    "test_montecarlo.py::test_importing_probkit_bayes_does_not_import_numpy",
    "test_sklearn_compat.py::test_not_fitted_error_without_scikit_learn_loaded",
    "test_usage_errors.py::test_usage_errors_are_one_line_with_exit_2[args2-nosuch]",
    "test_usage_errors.py::test_usage_errors_are_one_line_with_exit_2[args3---train]",
    "test_usage_errors.py::test_usage_errors_are_one_line_with_exit_2[args4-2.5]",
    # The heaviest of the rest (0.7-2.7 s each; a representative of each family stays quick)
    "test_realdata_classifier.py::test_cli_train_on_real_data",
    "test_coverage.py::test_negative_control_wrong_exact_value_fails[urn-rejection-1000-10000]",
    "test_coverage.py::test_negative_control_wrong_exact_value_fails[rare-rejection-1000-20000]",
    "test_bayes_numeric.py::test_cli_json_summary_schema",
    "test_bayes_numeric.py::test_locomotive[power:-1--1-data2]",
    "test_bayes_numeric.py::test_locomotive_published_means",
    "test_derive_cli.py::test_every_derivation_as_json[vectorized]",
    "test_typicality.py::test_the_image_view_is_what_flags_grey_pages_in_pixel_space",
    "test_plots.py::test_cv_curve_png",
    "test_plots.py::test_learning_curve_png",
    "model_check.py::probkit.gradient_check.model_check",
    "test_model_gradient_check.py::test_symbolic_gradient_of_logistic_matches_the_closed_form",
    "test_montecarlo.py::test_memory_does_not_grow_with_draws",
    "test_fuzz_cli.py::test_installed_script_keeps_the_contract",
    "test_selection.py::test_baseline_under_a_target_is_the_entropy_of_the_target",
    "test_features_pipeline.py::test_diverged_candidates_are_reported_and_excluded",
    "test_label_shift.py::test_likelihood_interval_narrows_with_more_images",
    # a locomotive up to 20,000 in floating point: 2-7 s each (bayes --float, merged 12-01)
    "test_bayes_float.py::test_a_locomotive_too_big_for_exact_arithmetic",
    "test_bayes_float.py::test_cli_float_switch",
    "test_bayes_float.py::test_problem_files_say_arithmetic",
    "test_bayes_numeric.py::test_docs_show_real_output",
    "test_plots.py::test_confident_verdicts_evidence_and_weights_pngs",  # ~1.1 s, three PNGs
    # 2,000 random expressions through probkit's LaTeX reader and parse_latex (~2 min); the
    # quick loop reads 20 and the notation fragments
    "test_check_reader_oracle.py::test_differential_against_parse_latex_many",
    # probkit gradcheck: each check starts a Python subprocess (0.3-1 s); the correct file, the
    # tanh-derivative slip, a traceback and a missing function stay quick (12-07)
    "test_learner_gradcheck.py::test_an_endless_loop_is_stopped_by_the_time_limit",
    "test_learner_gradcheck.py::test_sigterm_leaves_no_orphan",
    "test_learner_gradcheck.py::test_cli_exit_codes_and_json",
    "test_learner_gradcheck.py::test_sizes_come_from_shape_options",
    "test_learner_gradcheck.py::test_memory_is_limited",
    "test_learner_gradcheck.py::test_an_exception_at_import_shows_the_learners_line",
    "test_learner_gradcheck.py::test_cli_shows_the_learners_traceback_lines",
    "test_learner_gradcheck.py::test_the_l2_value_reaches_the_learners_lambd",
    "test_learner_gradcheck.py::test_nothing_of_the_learners_is_written",
    "test_learner_gradcheck.py::test_all_signs_flipped_is_traced_to_dZ2",
    "test_learner_gradcheck.py::test_real_images_as_inputs",
    "test_learner_gradcheck.py::test_other_function_names_by_cost_and_gradients",
    "test_learner_gradcheck.py::test_a_cost_that_is_not_finite_is_reported",
    "test_learner_gradcheck.py::test_each_planted_slip_is_caught_on_its_parameter_with_its_diagnosis[slip_db2_wrong_axis]",
    "test_learner_gradcheck.py::test_each_planted_slip_is_caught_on_its_parameter_with_its_diagnosis[slip_sign_of_dZ2]",
    "test_learner_gradcheck.py::test_each_planted_slip_is_caught_on_its_parameter_with_its_diagnosis[slip_missing_transpose]",
    "test_learner_gradcheck.py::test_each_planted_slip_is_caught_on_its_parameter_with_its_diagnosis[slip_keepdims_dropped]",
    "test_learner_gradcheck.py::test_each_planted_slip_is_caught_on_its_parameter_with_its_diagnosis[slip_l2_without_1_over_m]",
    "test_learner_gradcheck.py::test_each_planted_slip_is_caught_on_its_parameter_with_its_diagnosis[slip_missing_1_over_m_in_dW1]",
    # derive --chain with --shape: the two-layer network stays quick; the variants are slow
    "test_derive_matrix_chain.py::test_softmax_output_with_leaky_relu",
    "test_derive_matrix_chain.py::test_three_layers",
    "test_derive_matrix_chain.py::test_relu_with_l2_on_the_weights",
    "test_derive_matrix_chain.py::test_cli_example_of_the_issue_and_usage_errors",
    # probkit check on the 100 posts of tests/check_corpus/ (one module fixture, 15-50 s on the
    # shared machine); the corpus's SymPy proofs and one checked pair stay quick (12-07)
    "test_check_corpus.py::test_check_never_alarms_on_a_correct_line_and_never_passes_a_slip",
    "test_check_corpus.py::test_corpus_table_adds_up",
    "test_check_corpus.py::test_docs_table_is_todays_table",
    # sympy's solveset on a log-likelihood's equations at three parameter points (1.2-1.4 s
    # under load); the slipped derivative's solving chain stays quick as the representative
    "test_check_solving.py::test_setting_the_last_result_to_zero_opens_a_solving_chain",
    # formerly marked by decorators (the table is now the one way to mark a test slow)
    "test_check.py::test_correct_posts_pass",
    "test_check.py::test_english_slips_are_caught_on_their_lines",
    "test_check.py::test_japanese_slips_are_caught_on_their_lines",
    "test_check.py::test_sympy_latex_round_trips_many",
    "test_check.py::test_random_token_soup_never_raises",
    # the module's fixture trains two models (about 4 s)
    "test_compare.py::test_a_model_against_itself_and_against_a_weak_one",
    "test_compare.py::test_images_of_another_size_are_refused_by_name",
    "test_compare.py::test_cli",
    "test_dask.py::test_dask_cluster_gives_bit_identical_results",
    "test_derive_cli.py::test_gradcheck_option_reports_every_model",
    "test_derive_expr.py::test_coverage_table_every_step_verified_and_equal_to_sympy",
    "test_derive_expr.py::test_the_table_uses_every_named_rule",
    "test_docs_output.py::test_pasted_output_is_real",
    # several fits and plots: 8-9 s
    "test_features_pipeline.py::test_evaluate_plots_the_colour_evidence_of_a_histogram_model",
    "test_features_pipeline.py::test_train_and_tune_take_features_from_the_cli",
    "test_fuzz_cli.py::test_fuzz_every_command_larger_budget",
    "test_fuzz_cli.py::test_installed_script_more_known_cases",
    "test_fuzz_cli.py::test_installed_script_fuzzed",
    "test_packaging.py::test_wheel_installs_no_generic_top_level_module",
    "test_sklearn_compat.py::test_scikit_learn_estimator_checks",
    "test_sklearn_compat.py::test_the_expected_skips_are_the_only_ones",
    "test_sklearn_compat.py::test_scikit_learn_checks_on_the_other_transformers",
    "test_typicality.py::test_typicality_is_a_calibrated_p_value_for_typical_inputs",
    "test_typicality.py::test_two_views_keep_the_false_flag_rate_at_most_about_alpha",
    # The quick loop's CPU budget (12-07: 58-78 s of user CPU for ~2,900 tests, the target 45
    # s): with one OpenBLAS thread, each of these still took 0.2-0.5 s of CPU (the deep tree:
    # 0.5-4.5 s wall, mostly the file system); the behaviour each checks keeps a quick
    # representative, named after the key
    "test_tune_cli.py::test_tune_ensemble_prints_the_members_saved_as_one_model",  # ensemble:
    # test_ensemble.py::test_tune_averages_only_when_asked_or_on_the_default_grid
    "test_signals.py::"
    "test_a_signal_while_writing_the_model_leaves_the_old_file_and_no_temporary[15-False]",
    "test_bayes_numeric.py::test_table_shows_top_rows_and_html_has_the_same_cells",  # ...and:
    # test_a_numeric_posterior_prints_a_few_lines_not_its_table
    "test_check_sums.py::test_a_deeply_nested_sum_of_large_number_bounds_is_undecided_at_once",
    "test_check_sums.py::test_a_log_likelihood_after_taking_logs_is_checked_against_the_product",
    "test_check_site.py::test_a_deep_tree_is_walked_without_recursion",
    "test_bayes_formulas.py::test_prior_formula_equals_the_power_prior",
    "test_derive_cli.py::test_every_derivation_as_json[l2]",
    # whole files: a real Hugo build, and the real-data studies
    "test_hugo_build.py",
    "test_realdata_features.py",
    "test_realdata_trust.py",
}


def pytest_collection_finish(session: pytest.Session) -> None:
    """Move everything collection made (hypothesis, SymPy, scikit-learn, every test module,
    ~250,000 objects) out of the garbage collector's sight: a full collection walks every
    tracked object, and the quick loop triggered dozens, each retraversing these objects,
    which collection made and a session never frees. Objects made by the tests are
    collected as before."""
    gc.collect()
    gc.freeze()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the tests of :data:`SLOW_TESTS` slow, and every test that reads the real data
    (through the ``cat_data_dir`` fixture) ``realdata``: ``pytest -m realdata`` runs them."""
    for item in items:
        if "cat_data_dir" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.realdata)
        file_name = Path(str(item.fspath)).name
        base = f"{file_name}::{item.name.split('[')[0]}"
        if {file_name, base, f"{file_name}::{item.name}"} & SLOW_TESTS:
            item.add_marker(pytest.mark.slow)
