"""Stop words per language, as the analyzer meets them (case- and accent-folded).

Why NLTK's English list and not Lucene's 33: our tokenizer splits at apostrophes, and NLTK's list
already holds the leftover pieces of contractions and possessives ("s", "t", "don", "isn"):
"Mexico's" → mexico. Spanish is Snowball's list (the one NLTK ships), with its accents folded
because the analyzer folds accents before it looks a word up ("más" → mas, "él" → el).

Other Snowball languages are stemmed with no stop words: BM25's idf already gives their common
words almost no weight, and a list typed from memory would be worse than none.
"""

ENGLISH_STOPWORDS: frozenset[str] = frozenset(
    """
    a about above after again against ain all am an and any are aren arent as at be because been
    before being below between both but by can couldn couldnt d did didn didnt do does doesn doesnt
    doing don dont down during each few for from further had hadn hadnt has hasn hasnt have haven
    havent having he her here hers herself him himself his how i if in into is isn isnt it its
    itself just ll m ma me mightn mightnt more most mustn mustnt my myself needn neednt no nor not
    now o of off on once only or other our ours ourselves out over own re s same shan shant she
    shes should shouldn shouldnt shouldve so some such t than that thatll the their theirs them
    themselves then there these they this those through to too under until up ve very was wasn
    wasnt we were weren werent what when where which while who whom why will with won wont wouldn
    wouldnt y you youd youll your youre yours yourself yourselves youve
    """.split()
)

SPANISH_STOPWORDS: frozenset[str] = frozenset(
    """
    de la que el en y a los del se las por un para con no una su al lo como mas pero sus le ya o
    este si porque esta entre cuando muy sin sobre tambien me hasta hay donde quien desde todo nos
    durante todos uno les ni contra otros ese eso ante ellos e esto mi antes algunos que unos yo
    otro otras otra el tanto esa estos mucho quienes nada muchos cual poco ella estar estas algunas
    algo nosotros mis tu te ti tus ellas nosotras vosotros vosotras os mio mia mios mias tuyo tuya
    tuyos tuyas suyo suya suyos suyas nuestro nuestra nuestros nuestras vuestro vuestra vuestros
    vuestras esos esas estoy estas esta estamos estais estan este estes estemos esteis esten
    estare estaras estara estaremos estareis estaran estaria estarias estariamos estariais
    estarian estaba estabas estabamos estabais estaban estuve estuviste estuvo estuvimos
    estuvisteis estuvieron estuviera estuvieras estuvieramos estuvierais estuvieran estuviese
    estuvieses estuviesemos estuvieseis estuviesen estando estado estada estados estadas estad he
    has ha hemos habeis han haya hayas hayamos hayais hayan habre habras habra habremos habreis
    habran habria habrias habriamos habriais habrian habia habias habiamos habiais habian hube
    hubiste hubo hubimos hubisteis hubieron hubiera hubieras hubieramos hubierais hubieran
    hubiese hubieses hubiesemos hubieseis hubiesen habiendo habido habida habidos habidas soy eres
    es somos sois son sea seas seamos seais sean sere seras sera seremos sereis seran seria serias
    seriamos seriais serian era eras eramos erais eran fui fuiste fue fuimos fuisteis fueron fuera
    fueras fueramos fuerais fueran fuese fueses fuesemos fueseis fuesen siendo sido tengo tienes
    tiene tenemos teneis tienen tenga tengas tengamos tengais tengan tendre tendras tendra
    tendremos tendreis tendran tendria tendrias tendriamos tendriais tendrian tenia tenias
    teniamos teniais tenian tuve tuviste tuvo tuvimos tuvisteis tuvieron tuviera tuvieras
    tuvieramos tuvierais tuvieran tuviese tuvieses tuviesemos tuvieseis tuviesen teniendo tenido
    tenida tenidos tenidas tened
    """.split()
)

STOPWORDS: dict[str, frozenset[str]] = {"en": ENGLISH_STOPWORDS, "es": SPANISH_STOPWORDS}
