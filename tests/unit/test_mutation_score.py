"""`make mutation` prints each service's score from mutmut's results (tests/mutation_score.py)."""

from tests.mutation_score import report, scores

RESULTS = """\
    services.logistics.domain.sla.x_check_sla__mutmut_1: killed
    services.logistics.domain.sla.x_check_sla__mutmut_2: timeout
    services.logistics.domain.sla.x_check_sla__mutmut_3: survived
    services.logistics.domain.shipment.xǁShipmentǁdispatch__mutmut_1: no tests
    services.disputes.domain.claim.x_open_claim__mutmut_1: killed
    services.disputes.domain.claim.x_open_claim__mutmut_2: not checked
""".splitlines()


def test_mutation_score_counts_killed_and_timed_out_mutants_as_caught() -> None:
    # given mutmut's results for logistics: two caught, one survivor, one no test reaches
    # when the score is read
    (logistics,) = scores(RESULTS, ["logistics"])
    # then the hang counts as caught, and the untested mutant against the score
    assert (logistics.caught, logistics.total) == (2, 4)
    assert report(logistics).splitlines()[0] == "logistics: 2/4 killed (50.0%)"


def test_mutation_score_lists_every_mutant_that_escaped() -> None:
    # given a survivor and a mutant no test reaches
    # when logistics is reported
    (logistics,) = scores(RESULTS, ["logistics"])
    # then both are listed, by name, with their status, so each can be killed or explained
    assert report(logistics).splitlines()[1:] == [
        "  no tests: services.logistics.domain.shipment.xǁShipmentǁdispatch__mutmut_1",
        "  survived: services.logistics.domain.sla.x_check_sla__mutmut_3",
    ]


def test_mutation_score_counts_unchecked_mutants_against_the_score() -> None:
    # given a run cut short before one disputes mutant was tried
    # when disputes is reported
    (disputes,) = scores(RESULTS, ["disputes"])
    # then the unchecked mutant is not taken as killed, and the report says the run was cut short
    assert (disputes.caught, disputes.total) == (1, 2)
    assert "1 not checked" in report(disputes)


def test_mutation_score_keeps_each_service_to_its_own_mutants() -> None:
    # given results of two services
    # when all four services are scored
    by_service = {score.service: score.total for score in scores(RESULTS)}
    # then each counts only its own domain's mutants
    assert by_service == {"catalog": 0, "escrow": 0, "logistics": 4, "disputes": 2}
