import Bookshelf
import Stratus

StratusCLI.main(define: Bookshelf.define)
