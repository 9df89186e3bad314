/*
 * test_turns.c
 *		Unit tests of the weighted round robin (sched_weighted_turns,
 *		src/workflow.c, 1.4): the orders it gives small pools, the plain
 *		round robin for equal weights, and, for many random pools, the
 *		properties docs/design.md promises: each agent gets its weight in
 *		turns per cycle, and is less than one turn from its exact share
 *		after any number of turns.
 */
#include "rules.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "check.h"

#define MAX_POOL 60

/* the agents' letters of one cycle, "A B A" */
static const char *
Letters(const int *order, int n)
{
	static char buf[4 * SCHED_MAX_WEIGHT * 8];
	int			i;
	size_t		len = 0;

	for (i = 0; i < n && len + 3 < sizeof(buf); i++)
		len += snprintf(buf + len, sizeof(buf) - len, i ? " %c" : "%c", 'A' + order[i]);
	return buf;
}

static void
TestSmallPools(void)
{
	static const struct
	{
		int			weights[4];
		int			n;
		const char *cycle;
	}			cases[] = {
		{{1, 1, 1}, 3, "A B C"},
		{{2, 1}, 2, "A B A"},
		{{1, 2}, 2, "B A B"},
		{{3, 1}, 2, "A B A A"},
		{{2, 1, 1}, 3, "A B A C"},
		{{5, 1, 1}, 3, "A B A A C A A"},
		{{4, 4}, 2, "A B A B A B A B"},
		{{1}, 1, "A"},
		{{100}, 1, NULL},		/* 100 turns, all A */
	};
	int			order[4 * SCHED_MAX_WEIGHT];
	int64_t		credit[4];
	size_t		i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		int			len;
		int			sum = 0;
		int			k;

		for (k = 0; k < cases[i].n; k++)
			sum += cases[i].weights[k];
		SetContext("pool %zu (%d agents)", i, cases[i].n);
		len = sched_weighted_turns(cases[i].weights, cases[i].n, credit, order);
		CHECK_INT(len, sum);
		if (cases[i].cycle != NULL)
			CHECK_STR(Letters(order, len), cases[i].cycle);
		else
			for (k = 0; k < len; k++)
				CHECK_INT(order[k], 0);
	}
}

static void
TestBadInput(void)
{
	int			w[3] = {1, 1, 1};
	int			order[3 * SCHED_MAX_WEIGHT];
	int64_t		credit[3];

	SetContext("no agents");
	CHECK_INT(sched_weighted_turns(w, 0, credit, order), -1);
	CHECK_INT(sched_weighted_turns(w, -1, credit, order), -1);
	SetContext("a weight of 0, negative, or over the most");
	w[1] = 0;
	CHECK_INT(sched_weighted_turns(w, 3, credit, order), -1);
	w[1] = -5;
	CHECK_INT(sched_weighted_turns(w, 3, credit, order), -1);
	w[1] = SCHED_MAX_WEIGHT + 1;
	CHECK_INT(sched_weighted_turns(w, 3, credit, order), -1);
	w[1] = INT_MIN;
	CHECK_INT(sched_weighted_turns(w, 3, credit, order), -1);
	SetContext("the most weight is allowed");
	w[1] = SCHED_MAX_WEIGHT;
	CHECK_INT(sched_weighted_turns(w, 3, credit, order), SCHED_MAX_WEIGHT + 2);
}

/* a small reproducible generator (tests must not depend on the clock) */
static uint32_t rng_state = 12345;

static uint32_t
Next(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

/*
 * Random pools: equal weights keep the plain order; otherwise each agent
 * takes exactly its weight in turns per cycle, and over the first t turns
 * of two cycles in a row (the round robin goes round and round) every
 * agent's count is within one of t * weight / sum.
 */
static void
TestProperties(void)
{
	static int	order[MAX_POOL * SCHED_MAX_WEIGHT];
	int			weights[MAX_POOL];
	int64_t		credit[MAX_POOL];
	int			count[MAX_POOL];
	int			pool;
	int			worst_over = 0;
	int64_t		worst = 0;		/* thousandths of a turn */

	for (pool = 0; pool < 3000; pool++)
	{
		int			n = 1 + Next() % (pool < 2000 ? 8 : MAX_POOL);
		int			top = pool % 3 == 0 ? 3 : pool % 3 == 1 ? 10 : SCHED_MAX_WEIGHT;
		bool		equal = pool % 10 == 0;
		bool		reported = false;
		int			sum = 0;
		int			len;
		int			i;
		int			t;

		for (i = 0; i < n; i++)
		{
			weights[i] = equal ? 1 + pool % 7 : 1 + (int) (Next() % top);
			sum += weights[i];
			count[i] = 0;
		}
		SetContext("random pool %d: %d agents, weights up to %d%s", pool, n, top,
				   equal ? " (all equal)" : "");
		len = sched_weighted_turns(weights, n, credit, order);
		CHECK_INT(len, sum);
		if (len != sum)
			continue;
		if (equal)
		{
			for (t = 0; t < len; t++)
				if (order[t] != t % n)
					break;
			CHECK_INT(t, len);	/* 0 1 2 ... n-1, weight times over */
		}
		for (t = 0; t < 2 * len; t++)
		{
			int			who = order[t % len];

			count[who]++;
			for (i = 0; i < n; i++)
			{
				/* |count - (t + 1) * w / sum| < 1, in integers */
				int64_t		exact = (int64_t) (t + 1) * weights[i];
				int64_t		diff = (int64_t) count[i] * sum - exact;

				if (diff > worst * sum / 1000 || -diff > worst * sum / 1000)
					worst = (diff < 0 ? -diff : diff) * 1000 / sum;
				if ((diff >= sum || diff <= -sum) && !reported)
				{
					SetContext("random pool %d, turn %d, agent %d (weight %d of %d): %d turns",
							   pool, t + 1, i, weights[i], sum, count[i]);
					CHECK(diff < sum && diff > -sum);
					reported = true;	/* one report a pool */
				}
			}
		}
		for (i = 0; i < n; i++)
		{
			SetContext("random pool %d: agent %d's turns in two cycles", pool, i);
			CHECK_INT(count[i], 2 * weights[i]);
			if (count[i] - 2 * weights[i] > worst_over)
				worst_over = count[i] - 2 * weights[i];
		}
	}
	SetContext("no agent over its share");
	CHECK_INT(worst_over, 0);
	printf("test_turns: the largest distance from an exact share, any pool, any turn: %lld.%03lld turns\n",
		   (long long) (worst / 1000), (long long) (worst % 1000));
}

int
main(void)
{
	TestSmallPools();
	TestBadInput();
	TestProperties();
	return CheckSummary("test_turns");
}
