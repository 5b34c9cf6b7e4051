"""A first borderhub analysis: score the plan's places, choose 15 centres, draw the map."""

import borderhub as bh

cands = bh.datasets.candidates()  # the 60 places of 专栏4, EPSG:4326, index = adcode
demand = bh.datasets.prefectures()  # 367 demand units with population and express volume

ranked = bh.score(cands, bh.default_criteria())  # TOPSIS on location and volume
print(cands[["plan_name", "tiers"]].join(ranked[["score", "rank"]]).nsmallest(10, "rank"))

model = bh.PMedian.from_geodataframe(  # 15 centres, the plan's 10 core cities kept open
    demand,
    cands,
    weight="express_volume",
    p=15,
    **bh.policy_constraints(cands, required_tiers=["CORE"]),
)
solution = model.solve()  # HiGHS through PuLP
print(solution.summary())

m = bh.corridor_map(cands, solution=solution, scores=ranked, self_contained=True)
m.save("corridors.html")  # opens offline: Leaflet is embedded
