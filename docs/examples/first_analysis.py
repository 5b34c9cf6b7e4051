"""A first borderhub analysis: score the plan's places, choose 15 centres, draw the map."""

import borderhub as bh
from borderhub.locate import PMedian
from borderhub.maps import corridor_map
from borderhub.scoring import default_criteria, score

cands = bh.datasets.candidates()  # the 60 places of 专栏4, index = adcode
demand = bh.datasets.prefectures()  # 367 demand units with express volume (亿件)

ranked = score(cands, default_criteria())  # TOPSIS on location and volume
print(cands[["plan_name", "tiers"]].join(ranked[["score", "rank"]]).nsmallest(10, "rank"))

core = cands.index[cands["tiers"].str.contains("CORE")]  # the plan's 10 core cities
model = PMedian.from_geodataframe(demand, cands, weight="express_volume", p=15, required=core)
solution = model.solve()  # HiGHS through PuLP
print(solution.summary())

corridor_map(cands, solution=solution, scores=ranked, demand=demand).save("corridors.html")
