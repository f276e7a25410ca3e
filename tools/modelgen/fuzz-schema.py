#!/usr/bin/env python3
# Writes a small random schema (seeded) mixing models, keys, indexes, @auth and relationship pairs, for either
# transformer: v1 (@key/@connection, about a third of seeds) or v2. Usage: python3 fuzz-schema.py SEED > schema.graphql
import random, sys
seed = int(sys.argv[1]); r = random.Random(seed)
n = r.randint(2, 5)
names = r.sample(["Alpha","Beta","Gamma","Delta","Epsilon","Person","Datum","Child","Box"], n)
v1 = r.random() < 0.3
fields = {nm: [] for nm in names}; tdirs = {nm: [] for nm in names}
extra = []
if r.random() < 0.4: extra.append("enum Mood { HAPPY sad notSure }")
for nm in names:
    tdirs[nm].append("@model" + r.choice(["", "", "", "(timestamps: null)", "(timestamps: {updatedAt: \"u\"})", "(subscriptions: null)"]))
    if r.random() < 0.4:
        tdirs[nm].append(r.choice(["@auth(rules: [{allow: owner}])", "@auth(rules: [{allow: public, operations: [read]}, {allow: groups, groups: [\"A\"]}])", "@auth(rules: [{allow: private, provider: iam}])", "@auth(rules: [{allow: owner, ownerField: \"editors\", operations: [read, update]}])"]))
    if v1 and r.random() < 0.3:
        tdirs[nm].append('@key(fields: ["code"' + r.choice(["", ', "rank"']) + '])'); fields[nm] += ["code: String!", "rank: Int!"]
        if r.random() < 0.5: tdirs[nm].append('@key(name: "byRank", fields: ["rank"], queryField: "q' + nm + '")')
    elif (not v1) and r.random() < 0.3:
        fields[nm].append("code: String! @primaryKey" + r.choice(["", '(sortKeyFields: ["rank"])'])); fields[nm].append("rank: Int!")
    else:
        fields[nm].append("id: ID!")
    for i in range(r.randint(0, 3)):
        fields[nm].append(f"f{i}: " + r.choice(["String", "Int!", "[Float]", "AWSJSON", "Boolean", "[ID!]!"] + (["Mood"] if extra else [])) + (" @index" + r.choice(["", '(name: "by' + nm + f'F{i}")']) if (not v1 and r.random()<0.2) else ""))
pairs = [(a, b) for i, a in enumerate(names) for b in names[i+1:]]
for a, b in pairs:
    if r.random() < 0.4: continue
    la, lb = a.lower(), b.lower()
    if v1:
        k = r.choice(["named", "hm_keyed", "implicit", "one"])
        if k == "named":
            nmn = a + b
            fields[a].append(f"{lb}s: [{b}] @connection(name: \"{nmn}\")"); fields[b].append(f"{la}: {a} @connection(name: \"{nmn}\")")
        elif k == "hm_keyed":
            fields[b].append(f"{la}ID: ID"); tdirs[b].append(f'@key(name: "by{a}", fields: ["{la}ID"])')
            fields[a].append(f"{lb}s: [{b}] @connection(keyName: \"by{a}\", fields: [\"id\"])" if "id: ID!" in fields[a] else f"{lb}s: [{b}] @connection")
        elif k == "implicit":
            fields[a].append(f"{lb}List: [{b}] @connection")
        else:
            fields[a].append(f"{lb}Ref: {b} @connection")
    else:
        k = r.choice(["hm_bt", "ho_bt", "m2m", "uni", "ref", "hasone_only", "unconnected"])
        if k == "hm_bt": fields[a].append(f"{lb}s: [{b}] @hasMany"); fields[b].append(f"{la}: {a} @belongsTo")
        elif k == "ho_bt": fields[a].append(f"{lb}: {b} @hasOne"); fields[b].append(f"{la}: {a} @belongsTo")
        elif k == "m2m": fields[a].append(f"{lb}s: [{b}] @manyToMany(relationName: \"{a}{b}\")"); fields[b].append(f"{la}s: [{a}] @manyToMany(relationName: \"{a}{b}\")")
        elif k == "uni": fields[a].append(f"{lb}Items: [{b}!] @hasMany")
        elif k == "ref" and "id: ID!" in fields[a]:
            fields[b].append(f"{la}Id: ID"); fields[a].append(f"{lb}Refs: [{b}] @hasMany(references: [\"{la}Id\"])"); fields[b].append(f"{la}: {a} @belongsTo(references: [\"{la}Id\"])")
        elif k == "hasone_only": fields[a].append(f"{lb}One: {b} @hasOne")
        else: fields[a].append(f"{lb}Plain: {b}")
out = list(extra)
for nm in names:
    seen=set(); uniq=[]
    for f in fields[nm]:
        key=f.split(":")[0]
        if key in seen: continue
        seen.add(key); uniq.append(f)
    out.append(f"type {nm} {' '.join(tdirs[nm])} {{\n  " + "\n  ".join(uniq) + "\n}")
if r.random() < 0.3: out.append(f"type Query {{ q(x: Int, s: [String!]!): [{names[0]}] }}")
if r.random() < 0.2: out.append("input Filter { a: Int b: [String] }\ntype Mutation { m(f: Filter): Boolean }")
print("\n\n".join(out))
